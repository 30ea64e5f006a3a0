package dev.slipway.control;

/**
 * What a person may ask of a rollout in progress, by the annotation {@value ManualControl#ANNOTATION}
 * (`kubectl slipway pause|resume|promote|abort`): the canary and blue-green planners act on it.
 */
public enum Control { PAUSE, RESUME, PROMOTE, PROMOTE_FULL, ABORT }
