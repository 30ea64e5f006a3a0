package dev.slipway.status;

/** status.phase, as Argo CD's health scripts read it. */
public enum Phase { Healthy, Progressing, Paused, Degraded }
