package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.testing.Cluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checked-in CRDs (what users install) must be exactly what this build generated. */
class CrdDriftIT {
  @ParameterizedTest
  @ValueSource(strings = {"webapps.slipway.dev-v1.yml", "rolloutpolicies.slipway.dev-v1.yml"})
  void checkedInCrdMatchesGenerated(String file) throws IOException {
    Path generated = Cluster.repo().resolve("target/kubernetes").resolve(file);
    Path checkedIn = Cluster.repo().resolve("crds").resolve(file);
    assertThat(Files.readString(checkedIn))
        .as("crds/%s differs from the generated CRD: run `make crds` and commit the result", file)
        .isEqualTo(Files.readString(generated));
    assertThat(Files.readString(Cluster.repo().resolve("helm/slipway/files/crds").resolve(file)))
        .as("the chart's copy of %s differs: run `make crds` and commit the result", file)
        .isEqualTo(Files.readString(generated));
  }
}
