package dev.slipway.desired;

import dev.slipway.api.v1alpha1.ComponentSpec;
import dev.slipway.api.v1alpha1.SchedulerComponent;
import dev.slipway.api.v1alpha1.UpdateStrategy;
import dev.slipway.api.v1alpha1.WebAppSpec;
import dev.slipway.api.v1alpha1.WebComponent;
import dev.slipway.api.v1alpha1.WorkerComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * One long-running part of a WebApp (web, a worker, the scheduler), in the order a revision rolls out:
 * workers first (they must understand new tasks before web enqueues them), then web, then the scheduler.
 */
public record Component(String name, Role role, ComponentSpec spec) {

  public enum Role { WORKER, WEB, SCHEDULER }

  public static final String WEB = "web";
  public static final String SCHEDULER = "scheduler";
  public static final String MIGRATE = "migrate";

  /** The components of a spec in rollout order. */
  public static List<Component> of(WebAppSpec spec) {
    List<Component> components = new ArrayList<>();
    if (spec.workers != null) {
      for (WorkerComponent w : spec.workers) {
        components.add(new Component(w.name, Role.WORKER, w));
      }
    }
    if (spec.web != null) {
      components.add(new Component(WEB, Role.WEB, spec.web));
    }
    if (spec.scheduler != null) {
      components.add(new Component(SCHEDULER, Role.SCHEDULER, spec.scheduler));
    }
    return components;
  }

  /** The replicas the user asked for; the scheduler is a singleton. */
  public int replicas() {
    return switch (role) {
      case WEB -> ((WebComponent) spec).replicas;
      case WORKER -> ((WorkerComponent) spec).replicas;
      case SCHEDULER -> 1;
    };
  }

  public boolean autoscaled() {
    return switch (role) {
      case WEB -> ((WebComponent) spec).autoscaling != null;
      case WORKER -> ((WorkerComponent) spec).autoscaling != null;
      case SCHEDULER -> false;
    };
  }

  public dev.slipway.api.v1alpha1.Autoscaling autoscaling() {
    return switch (role) {
      case WEB -> ((WebComponent) spec).autoscaling;
      case WORKER -> ((WorkerComponent) spec).autoscaling;
      case SCHEDULER -> null;
    };
  }

  public UpdateStrategy updateStrategy() {
    return switch (role) {
      case WEB -> ((WebComponent) spec).updateStrategy;
      case WORKER -> ((WorkerComponent) spec).updateStrategy;
      case SCHEDULER -> UpdateStrategy.StopFirst;
    };
  }

  /** Seconds a stopping pod keeps running before SIGTERM (the web component's preStop pause); 0 for the others. */
  public int drainSeconds() {
    return role == Role.WEB ? ((WebComponent) spec).drainSeconds : 0;
  }

  /** The pod's whole grace period: the drain pause counts against it, so it is added to the app's own time. */
  public int terminationGracePeriodSeconds() {
    return drainSeconds() + switch (role) {
      case WEB -> ((WebComponent) spec).terminationGracePeriodSeconds;
      case WORKER -> ((WorkerComponent) spec).terminationGracePeriodSeconds;
      case SCHEDULER -> ((SchedulerComponent) spec).terminationGracePeriodSeconds;
    };
  }
}
