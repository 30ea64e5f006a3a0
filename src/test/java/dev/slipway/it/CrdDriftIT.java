package dev.slipway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.v1alpha1.KubernetesDescriptionsFile;
import dev.slipway.testing.Cluster;
import dev.slipway.testing.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
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

  /**
   * The descriptions of embedded Kubernetes types are those of the Kubernetes release the local cluster runs
   * (its module is in the Go module cache once hack/cluster.sh built it).
   */
  @Test
  void kubernetesDescriptionsAreThoseOfTheKubernetesWeBuild() throws Exception {
    String version = Files.readAllLines(Cluster.repo().resolve("hack/versions.env")).stream()
        .filter(l -> l.startsWith("K8S_VERSION=")).findFirst().orElseThrow().substring("K8S_VERSION=".length());
    Path spec = Path.of(Commands.run("go", "env", "GOMODCACHE").trim(), "k8s.io", "kubernetes@" + version,
        "api", "openapi-spec", "v3", "api__v1_openapi.json");
    String rendered = KubernetesDescriptionsFile.render(new ObjectMapper().readTree(spec.toFile()));
    Path checkedIn = Cluster.repo().resolve("src/main/resources" + KubernetesDescriptionsFile.RESOURCE);
    Path regenerated = Cluster.repo().resolve("target/kubernetes-descriptions.json");
    Files.writeString(regenerated, rendered);
    assertThat(Files.exists(checkedIn) ? Files.readString(checkedIn) : "")
        .as("%s differs from Kubernetes %s: cp %s %s", checkedIn, version, regenerated, checkedIn)
        .isEqualTo(rendered);
  }
}
