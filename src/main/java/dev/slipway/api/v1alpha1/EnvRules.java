package dev.slipway.api.v1alpha1;

/**
 * The bound on environment variable names. Kubernetes sets none, but SSA's managedFields name each variable by
 * its name, so a huge one makes objects few clients can read (a JSON name longer than Jackson's limit).
 */
final class EnvRules {
  private EnvRules() {}

  static final String NAMES_BOUNDED = "self.all(e, !has(e.name) || size(e.name) <= 1024)";
  static final String NAMES_BOUNDED_MESSAGE = "environment variable names are at most 1024 characters";
}
