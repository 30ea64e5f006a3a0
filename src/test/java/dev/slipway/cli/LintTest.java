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
    try (Stream<Path> files = Files.walk(Path.of("samples"))) {
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
  void probeReferencesTheKubeletLeavesAsTextAreFindings() throws IOException {
    Path probes = Path.of("src/test/resources/cli/probes.yaml");
    List<String> findings = Lint.lint(List.of(probes)).stream().map(Lint.Finding::toString).toList();
    // HOSTNAME is set by the runtime, NODE comes from valueFrom, and the celery worker's own QUEUE replaces the
    // shared value with a valueFrom (mail keeps the static one); $(APP) is a static value, $$( is the escape, and
    // the shell reads $HOSTNAME itself.
    assertThat(findings).containsExactly(
        probes + ":15: WebApp probes: spec.workers[0].health.exec[6]: " + ProbeCommands.unexpanded(
            List.of("$(HOSTNAME)"), java.util.Set.of()).get(0).message(),
        probes + ":15: WebApp probes: spec.workers[0].health.exec[8]: the kubelet expands $(QUEUE) in a probe "
            + "command only from this container's env entries with a value, and QUEUE is not one: the probe would "
            + "receive the literal text $(QUEUE) and fail. Let a shell expand it: [sh, -c, '... $QUEUE ...']",
        probes + ":18: WebApp probes: spec.workers[1].health.exec[1]: the kubelet expands $(NODE) in a probe "
            + "command only from this container's env entries with a value, and NODE is not one: the probe would "
            + "receive the literal text $(NODE) and fail. Let a shell expand it: [sh, -c, '... $NODE ...']");
  }

  @Test
  void aMissingFileIsAFinding() throws IOException {
    assertThat(Lint.lint(List.of(Path.of("nope.yaml")))).singleElement()
        .satisfies(f -> assertThat(f.message()).isEqualTo("no such file"));
  }
}
