package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LintTest {
  static final Path BAD = Path.of("src/test/resources/cli/bad.yaml");

  @Test
  void everySampleIsClean() throws IOException {
    List<Path> samples;
    try (Stream<Path> files = Files.list(Path.of("samples"))) {
      samples = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(Lint.lint(samples)).isEmpty();
  }

  @Test
  void findingsNameTheFileLineFieldAndRule() throws IOException {
    List<String> findings = Lint.lint(List.of(BAD)).stream().map(Lint.Finding::toString).toList();
    assertThat(findings).hasSize(7);
    assertThat(findings).contains(
        BAD + ":7: WebApp bad: spec.web.replicas: must be at least 0",
        BAD + ":8: WebApp bad: spec.web.prot: unknown field (the apiserver would drop it)",
        BAD + ":10: WebApp bad: spec.workers[0].name: must match ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$, not \"Celery_Worker\"",
        BAD + ":12: WebApp bad: spec.rollout.policyRef.name: RolloutPolicy missing is not among the files given",
        BAD + ":21: RolloutPolicy p: spec.canary.steps[0]: a canary step sets exactly one of setWeight, pause or gate");
    assertThat(findings).anySatisfy(f -> assertThat(f).startsWith(BAD + ":24: RolloutPolicy p: spec.gates[0].condition: ")
        .contains("is not a CEL bool expression over `result`"));
    assertThat(findings).anySatisfy(f -> assertThat(f)
        .startsWith(BAD + ":25: RolloutPolicy p: spec.gates[0].prometheus.query: unknown placeholder {{nope}}"));
  }

  @Test
  void aMissingFileIsAFinding() throws IOException {
    assertThat(Lint.lint(List.of(Path.of("nope.yaml")))).singleElement()
        .satisfies(f -> assertThat(f.message()).isEqualTo("no such file"));
  }
}
