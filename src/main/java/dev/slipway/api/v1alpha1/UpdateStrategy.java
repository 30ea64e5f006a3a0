package dev.slipway.api.v1alpha1;

/** How a component's pods are replaced within a revision change. */
public enum UpdateStrategy {
  /** StopFirst when the pods mount a PersistentVolumeClaim (which may be ReadWriteOnce), StartFirst otherwise. */
  Auto,
  /** New pods start before old ones stop (RollingUpdate with surge). */
  StartFirst,
  /** Old pods stop before new ones start (Recreate). */
  StopFirst
}
