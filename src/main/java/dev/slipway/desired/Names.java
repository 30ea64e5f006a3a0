package dev.slipway.desired;

/** Names of the objects generated for a WebApp. */
public final class Names {
  private Names() {}

  public static String deployment(String app, String component) {
    return app + "-" + component;
  }

  public static String webService(String app) {
    return app + "-web";
  }

  public static String migrateJob(String app, String revision) {
    return app + "-migrate-" + revision;
  }

  public static String controllerRevision(String app, String revision) {
    return app + "-" + revision;
  }
}
