package dev.slipway.gate;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the API's durations (30s, 10m, 1h30m, 500ms): the subset of Go's syntax the CRD admits. */
public final class GoDuration {
  private GoDuration() {}

  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

  /** @throws IllegalArgumentException when `text` is not a duration */
  public static Duration parse(String text) {
    Matcher m = PART.matcher(text == null ? "" : text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      });
      end = m.end();
    }
    if (end == 0 || end != text.length()) {
      throw new IllegalArgumentException("\"" + text + "\" is not a duration like 30s, 10m or 1h30m");
    }
    return total;
  }
}
