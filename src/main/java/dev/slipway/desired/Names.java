package dev.slipway.desired;

/** Names of the objects generated for a WebApp. */
public final class Names {
  private Names() {}

  public static String deployment(String app, String component) {
    return app + "-" + component;
  }

  /** The stable Deployment keeps the plain name (an HPA targets it); a canary's ends in -canary. */
  public static String deployment(String app, String component, String track) {
    return Labels.CANARY.equals(track) ? deployment(app, component) + "-canary" : deployment(app, component);
  }

  public static String webService(String app) {
    return app + "-web";
  }

  /** Selects the web canary only: the backend an HTTPRoute weighs against the web Service. */
  public static String webCanaryService(String app) {
    return webService(app) + "-canary";
  }

  public static String migrateJob(String app, String revision) {
    return app + "-migrate-" + revision;
  }

  public static String controllerRevision(String app, String revision) {
    return app + "-" + revision;
  }
}
