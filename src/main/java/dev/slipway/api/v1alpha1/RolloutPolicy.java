package dev.slipway.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** How a new revision of the WebApps that reference it goes out. */
@Group(WebApp.GROUP)
@Version(WebApp.VERSION)
@ShortNames("rpol")
public class RolloutPolicy extends CustomResource<RolloutPolicySpec, Void> implements Namespaced {}
