package dev.slipway.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.Autoscaling;
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
    for (WebAppSpec changed : List.of(image, env, command, migrate, health)) {
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
}
