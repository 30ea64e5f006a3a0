package dev.slipway.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting on processes (and containers) the tests start. */
public final class Processes {
  private Processes() {}

  /** A loopback port nothing listens on right now. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Polls `url` until it answers 200; fails at once, with `diagnostics`, when the process exits, and after
   * `timeout` when it never answers.
   */
  static void awaitHttpOk(Process process, String name, URI url, Duration timeout, Supplier<String> diagnostics) {
    awaitHttpOk(name, process::isAlive, url, timeout,
        () -> "exit code " + process.exitValue() + "; " + diagnostics.get());
  }

  /** The same for anything that can tell whether it still runs (a container). */
  public static void awaitHttpOk(String name, BooleanSupplier alive, URI url, Duration timeout,
      Supplier<String> diagnostics) {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!alive.getAsBoolean()) {
        throw new IllegalStateException(name + " exited; " + diagnostics.get());
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
