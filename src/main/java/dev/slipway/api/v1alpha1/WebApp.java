package dev.slipway.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A web application with its workers, singleton scheduler and migrations, shipped as one revision. */
@Group(WebApp.GROUP)
@Version(WebApp.VERSION)
@ShortNames("wapp")
@ValidationRule(value = "self.metadata.name.size() <= 40",
    message = "WebApp names are at most 40 characters, so the names of the objects generated from them stay valid")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Revision", jsonPath = ".status.stableRevision", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.message", type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
public class WebApp extends CustomResource<WebAppSpec, WebAppStatus> implements Namespaced {
  public static final String GROUP = "slipway.dev";
  public static final String VERSION = "v1alpha1";
}
