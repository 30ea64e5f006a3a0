package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.WebApp;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden output of `list` and `get`: rerun with -Dgolden.update=true to accept a deliberate change. */
class ViewsTest {
  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  static final Path GOLDEN = Path.of("src/test/resources/cli");

  static List<WebApp> apps() throws IOException {
    try (InputStream in = ViewsTest.class.getResourceAsStream("/cli/shop-canary.yaml")) {
      List<HasMetadata> docs = Serialization.unmarshal(in);
      return docs.stream().map(d -> Serialization.unmarshal(Serialization.asJson(d), WebApp.class)).toList();
    }
  }

  static List<Pod> pods() throws IOException {
    try (InputStream in = ViewsTest.class.getResourceAsStream("/cli/shop-pods.yaml")) {
      KubernetesList list = Serialization.unmarshal(in, KubernetesList.class);
      return list.getItems().stream().map(Pod.class::cast).toList();
    }
  }

  static void assertGolden(String file, String actual) throws IOException {
    Path golden = GOLDEN.resolve(file);
    if (Boolean.getBoolean("golden.update") || !Files.exists(golden)) {
      Files.writeString(golden, actual);
    }
    assertThat(actual).isEqualTo(Files.readString(golden));
  }

  @Test
  void list() throws IOException {
    assertGolden("list.golden", ListView.render(apps(), Map.of("prod/prod-canary", "Canary"), false, NOW));
    assertGolden("list-all.golden", ListView.render(apps(), Map.of("prod/prod-canary", "Canary"), true, NOW));
  }

  @Test
  void get() throws IOException {
    assertGolden("get.golden", TreeView.render(apps().get(0), pods(), "Canary", NOW));
    assertGolden("get-healthy.golden", TreeView.render(apps().get(1), List.of(), "Rolling", NOW));
  }
}
