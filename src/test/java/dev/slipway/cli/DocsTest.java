package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The pages an adopting team reads: every page a page links to exists, every `kubectl slipway` command
 * they show is one the plugin accepts (parsed as the plugin parses it, without a cluster), and what a page tells
 * users to copy is what the tests run.
 */
class DocsTest {
  static final Path REPO = Path.of("").toAbsolutePath();
  /** Markdown links to a file of the repository: [text](path) or [text](path#anchor). */
  static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s#]+)(#[^)]*)?\\)");
  /** A command in an inline code span or on a line of a code block. */
  static final Pattern COMMAND = Pattern.compile("(?:`|^\\s*(?:\\$\\s+)?)(kubectl slipway [^`\\n]*)", Pattern.MULTILINE);

  static List<Path> pages() {
    List<Path> pages = new ArrayList<>(List.of(REPO.resolve("README.md"), REPO.resolve("helm/slipway/README.md")));
    for (String dir : List.of("docs", "samples")) {
      try (Stream<Path> files = Files.walk(REPO.resolve(dir))) {
        files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(pages::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return pages;
  }

  static String read(Path page) {
    try {
      return Files.readString(page);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void everyLinkedPageExists() {
    List<String> broken = new ArrayList<>();
    int links = 0;
    for (Path page : pages()) {
      Matcher m = LINK.matcher(read(page));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("[a-z]+:.*")) {
          continue; // https:, mailto:
        }
        links++;
        if (!Files.exists(page.getParent().resolve(target))) {
          broken.add(REPO.relativize(page) + " -> " + target);
        }
      }
    }
    assertThat(links).as("links found").isGreaterThan(10);
    assertThat(broken).as("links to files that do not exist").isEmpty();
    assertThat(read(REPO.resolve("README.md"))).as("the pages the README names")
        .contains("](docs/upgrade-and-uninstall.md)", "](docs/migrations.md)", "](docs/from-caprover.md)",
            "](docs/troubleshooting.md)", "](docs/exposing.md)");
  }

  /** The scrape job docs/canary.md tells users to copy is the one the demo and ShopIT run, comments aside. */
  @Test
  void theCanaryPageShowsTheScrapeJobTheTestsRun() {
    String job = read(REPO.resolve("samples/apps/shop/prometheus-scrape.yaml")).lines()
        .filter(line -> !line.startsWith("#")).collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    assertThat(read(REPO.resolve("docs/canary.md"))).contains("```yaml\n" + job + "```");
  }

  /**
   * A synopsis (`get NAME [-o json|yaml]`) is a description, not a command: it is left out. Everything else
   * the pages show must parse, so a renamed verb or option cannot leave a page behind.
   */
  @Test
  void everyCommandThePagesShowParses() {
    List<String> refused = new ArrayList<>();
    int commands = 0;
    for (Path page : pages()) {
      Matcher m = COMMAND.matcher(read(page));
      while (m.find()) {
        String command = m.group(1).trim();
        if (command.matches(".*[\\[|…].*|.*\\.\\.\\..*") || command.equals("kubectl slipway")) {
          continue;
        }
        commands++;
        List<String> args = words(command.substring("kubectl slipway".length())).stream()
            .map(word -> word.equals("N") ? "3" : word).toList(); // N stands for a number, as in --to-revision N
        try {
          SlipwayCli.commandLine().parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.MissingParameterException e) {
          if (!namesAVerb(args)) { // prose names a verb ("`kubectl slipway retry` when ready"): it must exist
            refused.add(REPO.relativize(page) + ": " + command + " -> " + e.getMessage());
          }
        } catch (CommandLine.ParameterException e) {
          refused.add(REPO.relativize(page) + ": " + command + " -> " + e.getMessage());
        }
      }
    }
    assertThat(commands).as("commands found").isGreaterThan(10);
    assertThat(refused).as("commands the plugin refuses").isEmpty();
  }

  /** True when the words are only a path of subcommands: `set image`, `promote`. */
  static boolean namesAVerb(List<String> words) {
    CommandLine command = SlipwayCli.commandLine();
    for (String word : words) {
      command = command.getSubcommands().get(word);
      if (command == null) {
        return false;
      }
    }
    return !words.isEmpty();
  }

  /** Words as a shell splits them, for the quoting the pages use ('…' and "…"). */
  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    Matcher m = Pattern.compile("'([^']*)'|\"([^\"]*)\"|(\\S+)").matcher(line);
    while (m.find()) {
      words.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
    }
    return words;
  }
}
