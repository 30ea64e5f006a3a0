package dev.slipway.desired;

/** Names of the objects generated for a WebApp. */
public final class Names {
  private Names() {}

  public static String deployment(String app, String component) {
    return app + "-" + component;
  }

  /** The stable Deployment keeps the plain name; a canary's ends in -canary, a blue-green preview slot's in -preview. */
  public static String deployment(String app, String component, String track) {
    return Labels.STABLE.equals(track) || track == null ? deployment(app, component)
        : deployment(app, component) + "-" + track;
  }

  public static String webService(String app) {
    return app + "-web";
  }

  /** Selects the web canary only: the backend an HTTPRoute weighs against the web Service. */
  public static String webCanaryService(String app) {
    return webService(app) + "-canary";
  }

  /** Selects the blue-green slot that does not serve: the new revision before its promotion. */
  public static String webPreviewService(String app) {
    return webService(app) + "-preview";
  }

  public static String migrateJob(String app, String revision) {
    return app + "-migrate-" + revision;
  }

  public static String controllerRevision(String app, String revision) {
    return app + "-" + revision;
  }
}
