package dev.slipway.api.v1alpha1;

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
// The apiserver cuts a generated pod name's base to 58 characters. A worker pod is named
// <app>-<worker>[-canary|-preview]-<template hash, up to 10>-<5 random>, so past 37 characters for app and worker
// together the cut takes the hash and track out of the hostname, and with it out of the Celery node name
// (celery@hostname) that monitoring and the sample gates select canary workers by.
@ValidationRule(value = "!has(self.spec.workers) || self.spec.workers.all(w, "
    + "size(self.metadata.name) + size(w.name) <= " + WebApp.MAX_APP_AND_WORKER_NAME + ")",
    message = "the WebApp name and a worker name together are at most " + WebApp.MAX_APP_AND_WORKER_NAME
        + " characters, or the worker's pod hostnames (its Celery node names) lose their revision and track")
public class WebApp extends CustomResource<WebAppSpec, WebAppStatus> implements Namespaced {
  public static final String GROUP = "slipway.dev";
  public static final String VERSION = "v1alpha1";
  static final int MAX_APP_AND_WORKER_NAME = 37;
}
