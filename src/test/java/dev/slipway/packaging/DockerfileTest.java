package dev.slipway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** No Docker engine runs here, so the Dockerfile's rules are checked on its text. */
class DockerfileTest {
  static List<String> lines;
  static List<List<String>> stages;

  @BeforeAll
  static void read() throws IOException {
    lines = Files.readAllLines(Path.of("Dockerfile")).stream().map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    stages = new ArrayList<>();
    for (String l : lines) {
      if (l.startsWith("FROM ")) {
        stages.add(new ArrayList<>());
      }
      if (!stages.isEmpty()) {
        stages.get(stages.size() - 1).add(l);
      }
    }
  }

  @Test
  void isMultiStageWithEveryBaseImagePinned() {
    assertThat(stages).hasSizeGreaterThanOrEqualTo(2);
    for (List<String> stage : stages) {
      String image = stage.get(0).split("\\s+")[1];
      assertThat(image).as("base image %s", image).doesNotEndWith(":latest")
          .matches(i -> i.contains("@sha256:") || i.matches(".*:[0-9][^:]*"), "pinned to a version or digest");
    }
  }

  @Test
  void theBuildStageCachesMavenAndCopiesWithLink() {
    List<String> build = stages.get(0);
    assertThat(build).filteredOn(l -> l.startsWith("RUN ") && l.contains("mvn"))
        .isNotEmpty().allSatisfy(l -> assertThat(l).contains("--mount=type=cache,target=/root/.m2"));
    assertThat(lines).filteredOn(l -> l.startsWith("COPY ")).allSatisfy(l -> assertThat(l).contains("--link"));
  }

  @Test
  void theFinalStageRunsAsANonRootUserWithNothingExtra() {
    List<String> last = stages.get(stages.size() - 1);
    List<String> users = last.stream().filter(l -> l.startsWith("USER ")).toList();
    assertThat(users).isNotEmpty();
    String user = users.get(users.size() - 1).substring(5).split(":")[0].trim();
    assertThat(user).isNotIn("root", "0");
    assertThat(last).as("no package installs or builds in the final stage").noneMatch(l -> l.startsWith("RUN "));
    assertThat(last).filteredOn(l -> l.startsWith("COPY ")).allSatisfy(l -> assertThat(l).contains("--from=build"));
  }
}
