package dev.slipway.desired;

import dev.slipway.api.v1alpha1.MigrateSpec;
import dev.slipway.api.v1alpha1.SchedulerComponent;
import dev.slipway.api.v1alpha1.WebAppSpec;
import dev.slipway.api.v1alpha1.WebComponent;
import dev.slipway.api.v1alpha1.WorkerComponent;
import java.util.List;

/** Specs for unit tests. */
public final class Specs {
  private Specs() {}

  public static final Owner OWNER = new Owner("shop", "prod", "uid-1");

  /** web + celery worker + beat + migrate, as the django-celery sample. */
  public static WebAppSpec djangoCelery() {
    WebAppSpec spec = new WebAppSpec();
    spec.image = "example/shop:1";
    spec.web = new WebComponent();
    spec.web.command = List.of("gunicorn", "shop.wsgi");
    WorkerComponent celery = new WorkerComponent();
    celery.name = "celery";
    celery.command = List.of("celery", "-A", "shop", "worker");
    celery.replicas = 2;
    spec.workers = List.of(celery);
    spec.scheduler = new SchedulerComponent();
    spec.scheduler.command = List.of("celery", "-A", "shop", "beat");
    spec.migrate = new MigrateSpec();
    spec.migrate.command = List.of("python", "manage.py", "migrate");
    return spec;
  }
}
