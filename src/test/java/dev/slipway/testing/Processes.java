package dev.slipway.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/** Waiting on processes the tests start. */
final class Processes {
  private Processes() {}

  /**
   * Polls `url` until it answers 200; fails at once, with `diagnostics`, when the process exits, and after
   * `timeout` when it never answers.
   */
  static void awaitHttpOk(Process process, String name, URI url, Duration timeout, Supplier<String> diagnostics) {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; " + diagnostics.get());
      }
      try {
        if (http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
        Thread.sleep(200);
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(name + " did not answer " + url + " within " + timeout + "; "
        + diagnostics.get());
  }
}
