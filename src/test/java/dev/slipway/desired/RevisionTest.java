package dev.slipway.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.Autoscaling;
import dev.slipway.api.v1alpha1.MigrationStatus;
import dev.slipway.api.v1alpha1.RolloutSpec;
import dev.slipway.api.v1alpha1.WebAppSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevisionTest {
  @Test
  void isStableAndShort() {
    assertThat(Revision.of(Specs.djangoCelery())).isEqualTo(Revision.of(Specs.djangoCelery())).hasSize(10)
        .matches("[0-9a-f]{10}");
  }

  @Test
  void sizesAndRolloutSettingsDoNotMakeANewRevision() {
    String before = Revision.of(Specs.djangoCelery());
    WebAppSpec spec = Specs.djangoCelery();
    spec.web.replicas = 9;
    spec.web.autoscaling = new Autoscaling();
    spec.web.autoscaling.maxReplicas = 20;
    spec.web.service.port = 8080;
    spec.workers.get(0).replicas = 7;
    spec.rollout = new RolloutSpec();
    spec.rollout.progressDeadlineSeconds = 60;
    spec.paused = true;
    assertThat(Revision.of(spec)).isEqualTo(before);
  }

  @Test
  void everythingThatChangesPodsMakesANewRevision() {
    String before = Revision.of(Specs.djangoCelery());
    WebAppSpec image = Specs.djangoCelery();
    image.image = "example/shop:2";
    WebAppSpec env = Specs.djangoCelery();
    env.env = List.of(new EnvVar("DEBUG", "0", null));
    WebAppSpec command = Specs.djangoCelery();
    command.workers.get(0).command = List.of("celery", "worker", "-c", "8");
    WebAppSpec migrate = Specs.djangoCelery();
    migrate.migrate.command = List.of("python", "manage.py", "migrate", "--noinput");
    WebAppSpec health = Specs.djangoCelery();
    health.web.health.path = "/ready";
    WebAppSpec restarted = Specs.djangoCelery();
    restarted.restartedAt = "2026-12-07T09:30:00.123Z";
    for (WebAppSpec changed : List.of(image, env, command, migrate, health, restarted)) {
      assertThat(Revision.of(changed)).isNotEqualTo(before);
    }
  }

  @Test
  void mapOrderDoesNotMatter() {
    WebAppSpec a = Specs.djangoCelery();
    a.podTemplate = new dev.slipway.api.v1alpha1.PodTemplate();
    a.podTemplate.nodeSelector = new java.util.LinkedHashMap<>(Map.of("a", "1"));
    a.podTemplate.nodeSelector.put("b", "2");
    WebAppSpec b = Specs.djangoCelery();
    b.podTemplate = new dev.slipway.api.v1alpha1.PodTemplate();
    b.podTemplate.nodeSelector = new java.util.LinkedHashMap<>(Map.of("b", "2"));
    b.podTemplate.nodeSelector.put("a", "1");
    assertThat(Revision.of(a)).isEqualTo(Revision.of(b));
  }

  @Test
  void aRestartOrAChangeToWebOrWorkersDoesNotMigrateAgain() {
    String before = Revision.ofMigration("shop", Specs.djangoCelery());
    WebAppSpec restarted = Specs.djangoCelery();
    restarted.restartedAt = "2026-12-07T09:30:00Z";
    WebAppSpec workers = Specs.djangoCelery();
    workers.workers.get(0).command = List.of("celery", "worker", "-c", "8");
    WebAppSpec web = Specs.djangoCelery();
    web.web.health.path = "/ready";
    for (WebAppSpec same : List.of(restarted, workers, web)) {
      assertThat(Revision.ofMigration("shop", same)).isEqualTo(before);
    }
    MigrationStatus succeeded = migration(MigrationStatus.SUCCEEDED, before);
    assertThat(Revision.migratedAlready("shop", restarted, succeeded)).isTrue();
    assertThat(Revision.migratedAlready("shop", restarted, migration("Failed", before)))
        .as("a failed migration runs again").isFalse();
    assertThat(Revision.migratedAlready("shop", restarted, migration(MigrationStatus.SUCCEEDED, null)))
        .as("a status from before the hash was recorded").isFalse();
    assertThat(Revision.migratedAlready("shop", restarted, null)).isFalse();
  }

  @Test
  void whatTheMigrationRunsMigratesAgain() {
    String before = Revision.ofMigration("shop", Specs.djangoCelery());
    WebAppSpec image = Specs.djangoCelery();
    image.image = "example/shop:2";
    WebAppSpec env = Specs.djangoCelery();
    env.env = List.of(new EnvVar("DATABASE_URL", "postgres://elsewhere/shop", null));
    WebAppSpec command = Specs.djangoCelery();
    command.migrate.command = List.of("python", "manage.py", "migrate", "--noinput");
    WebAppSpec migrateEnv = Specs.djangoCelery();
    migrateEnv.migrate.env = List.of(new EnvVar("DB_USER", "owner", null));
    for (WebAppSpec changed : List.of(image, env, command, migrateEnv)) {
      assertThat(Revision.ofMigration("shop", changed)).isNotEqualTo(before);
      assertThat(Revision.migratedAlready("shop", changed, migration(MigrationStatus.SUCCEEDED, before))).isFalse();
    }
  }

  private static MigrationStatus migration(String phase, String templateHash) {
    MigrationStatus m = new MigrationStatus();
    m.revision = "0123456789";
    m.phase = phase;
    m.templateHash = templateHash;
    return m;
  }
}
