package dev.slipway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile's rules, on its text (ImageIT builds and runs the image itself): public bases by default,
 * pinned, replaceable by build arguments, and a runtime stage that is only the JRE and the app.
 */
class DockerfileTest {
  static List<String> raw;
  static List<String> lines;
  static Map<String, String> args = new LinkedHashMap<>();
  static List<List<String>> stages;

  @BeforeAll
  static void read() throws IOException {
    raw = Files.readAllLines(Path.of("Dockerfile"));
    lines = raw.stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    stages = new ArrayList<>();
    for (String l : lines) {
      if (l.startsWith("ARG ") && stages.isEmpty()) {
        String[] kv = l.substring(4).trim().split("=", 2);
        args.put(kv[0], kv.length == 2 ? kv[1] : "");
      }
      if (l.startsWith("FROM ")) {
        stages.add(new ArrayList<>());
      }
      if (!stages.isEmpty()) {
        stages.get(stages.size() - 1).add(l);
      }
    }
  }

  /** A stage's base with build arguments replaced by their defaults. */
  static String base(List<String> stage) {
    Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(stage.get(0).split("\\s+")[1]);
    return m.replaceAll(r -> args.getOrDefault(r.group(1), ""));
  }

  static List<String> stageNames() {
    return stages.stream().map(s -> s.get(0).split("\\s+")).map(f -> f.length >= 4 ? f[3] : "").toList();
  }

  @Test
  void needsNoDownloadedFrontend() {
    assertThat(raw).noneMatch(l -> l.trim().toLowerCase().startsWith("# syntax="));
  }

  @Test
  void everyBaseImageIsABuildArgumentPinnedToAPublicVersion() {
    assertThat(stages).hasSizeGreaterThanOrEqualTo(2);
    for (List<String> stage : stages) {
      String image = base(stage);
      if (image.equals("scratch") || stageNames().contains(image)) {
        continue;
      }
      assertThat(stage.get(0)).as("base of %s is a build argument", stage.get(0)).contains("${");
      assertThat(image).as("base image %s", image).doesNotEndWith(":latest").doesNotStartWith("slipway.local/")
          .matches(i -> i.contains("@sha256:") || i.matches(".*:[0-9][^:]*"), "pinned to a version or digest");
    }
  }

  @Test
  void theBuildStageCachesMaven() {
    List<String> build = stages.get(stageNames().indexOf("build"));
    assertThat(build).filteredOn(l -> l.startsWith("RUN ") && l.contains("mvn"))
        .isNotEmpty().allSatisfy(l -> assertThat(l).contains("--mount=type=cache,target=/root/.m2"));
  }

  @Test
  void theFinalStageRunsAsANonRootUserWithNothingExtra() {
    List<String> last = stages.get(stages.size() - 1);
    List<String> users = last.stream().filter(l -> l.startsWith("USER ")).toList();
    assertThat(users).isNotEmpty();
    String user = users.get(users.size() - 1).substring(5).split(":")[0].trim();
    assertThat(user).isNotIn("root", "0");
    assertThat(last).as("no package installs or builds in the final stage").noneMatch(l -> l.startsWith("RUN "));
    assertThat(last).filteredOn(l -> l.startsWith("COPY ")).allSatisfy(l -> assertThat(l).contains("--from=app"));
  }
}
