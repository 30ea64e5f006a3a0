package dev.slipway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The packaged operator (target/quarkus-app/quarkus-run.jar) as a real OS process against the local
 * control plane: tests can kill -9 it and start it again, as production would.
 */
public final class OperatorProcess {
  /** Processes launched in this JVM, which IT classes share and may start concurrently. */
  private static final AtomicInteger started = new AtomicInteger();

  private final Map<String, String> extraEnv;
  private final List<String> jvmOptions;
  private Process process;
  private Path log;
  private int port;
  /** Whether an exit nobody asked for is followed by a new process, as the chart's Deployment would do. */
  private boolean restartsOnExit;
  /** A test stopped, killed or signalled this process: its exit is the test's business. */
  private boolean exitExpected;

  public OperatorProcess(Map<String, String> extraEnv) {
    // C1 only: a test's operator lives for seconds to minutes, and the second JIT tier would spend more CPU
    // than it saves; with IT classes running concurrently on two cores, that CPU is the test run's time.
    this(extraEnv, List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
  }

  /** @param jvmOptions heap and GC flags (the benchmark measures the ones the chart uses) */
  public OperatorProcess(Map<String, String> extraEnv, List<String> jvmOptions) {
    this.extraEnv = extraEnv;
    this.jvmOptions = jvmOptions;
  }

  /** The operators of the test classes, by the namespace each watches. */
  private static final Map<String, OperatorProcess> OF_CLASS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> OF_CLASS.values().forEach(OperatorProcess::stop)));
  }

  /**
   * The environment of an operator that watches only `namespace` and leads on a Lease of that name: beside
   * it, other operators of other namespaces run undisturbed (IT classes run concurrently, each with its own).
   */
  public static Map<String, String> scopedTo(String namespace, String identity) {
    return Map.of("QUARKUS_OPERATOR_SDK_NAMESPACES", namespace, "SLIPWAY_LEADER_ELECTION_LEASE_NAME", namespace,
        "SLIPWAY_LEADER_ELECTION_IDENTITY", identity);
  }

  /**
   * The operator of a test class, watching only the class's namespace: a class may kill, stop or freeze it
   * while other classes run. Started on first use (again after a test killed or stopped it); stopped by
   * {@link ClusterExtension} after the class.
   */
  public static OperatorProcess of(TestNamespace ns) {
    OperatorProcess operator = OF_CLASS.computeIfAbsent(ns.name(), name -> {
      OperatorProcess created = new OperatorProcess(scopedTo(name, name));
      // A leader halts when it misses a Lease renewal or stalls (FreezeGuard): on a loaded machine that
      // happens, and in a cluster its Deployment starts it again. Without that the class would wait for a
      // dead operator.
      created.restartsOnExit = true;
      return created;
    });
    synchronized (operator) {
      if (!operator.isAlive()) {
        Cluster.ensureCrds(); // its informers fail to start without them
        operator.start();
      }
    }
    return operator;
  }

  /** Stops the operator of a class's namespace, if the class started one. */
  static void stopOf(TestNamespace ns) {
    OperatorProcess operator = OF_CLASS.remove(ns.name());
    if (operator != null) {
      operator.stop();
    }
  }

  /** Starts the process, unless it runs (restarted after it exited by itself), and waits until it leads. */
  public synchronized void start() {
    if (!isAlive()) {
      launch();
    }
    awaitReady();
  }

  /** Starts the process without waiting for it to lead. */
  public synchronized void launch() {
    String jar = System.getProperty("slipway.operator.jar", "target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(Path.of(jar))) {
      throw new IllegalStateException("operator jar " + jar + " is missing: run `mvn package` first");
    }
    port = Processes.freePort();
    try {
      Path dir = Path.of("target", "operator-logs");
      int number = started.incrementAndGet();
      if (number == 1 && Files.isDirectory(dir)) {
        // Logs of an earlier test run are not this run's business.
        try (Stream<Path> old = Files.list(dir)) {
          for (Path f : old.toList()) {
            Files.delete(f);
          }
        }
      }
      Files.createDirectories(dir);
      log = dir.resolve("operator-" + number + ".log");
      List<String> command = new java.util.ArrayList<>(List.of(javaBin()));
      command.addAll(jvmOptions);
      command.addAll(List.of("-Dquarkus.http.port=" + port, "-jar", jar));
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().put("KUBECONFIG", Cluster.operatorKubeconfig());
      pb.environment().putAll(extraEnv);
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      process = pb.start();
      exitExpected = false;
      if (restartsOnExit) {
        Process launched = process;
        launched.onExit().thenRun(() -> restartIfNobodyStopped(launched));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private synchronized void restartIfNobodyStopped(Process exited) {
    if (exitExpected || exited != process) {
      return;
    }
    String why = logEntries(log).stream().filter(e -> e.contains(" WARN ") || e.contains(" ERROR "))
        .reduce((first, second) -> second).map(e -> e.lines().findFirst().orElse("")).orElse("(no warning)");
    Duration lived = exited.info().startInstant().map(start -> Duration.between(start, Instant.now()))
        .orElse(Duration.ZERO);
    if (lived.compareTo(Duration.ofSeconds(30)) < 0) {
      // It failed to start or crashed at once: starting it again would only loop (a Deployment would back off).
      System.out.printf("[operator] %s exited by itself with code %d after %d s; its last warning: %s. Not "
          + "started again: it does not stay up.%n", log.getFileName(), exited.exitValue(), lived.toSeconds(), why);
      return;
    }
    System.out.printf("[operator] %s exited by itself with code %d; its last warning: %s. Starting it again, "
        + "as its Deployment would.%n", log.getFileName(), exited.exitValue(), why);
    launch();
  }

  /** Waits until the process serves HTTP (a standby replica is alive but does not lead). */
  public void awaitAlive() {
    awaitHealth("/q/health/live");
  }

  private void awaitReady() {
    awaitHealth("/q/health/ready");
  }

  /** Waits until the process leads; false when it exited first (a fault injected into it fired). */
  public boolean awaitReadyUnlessItExits() {
    try {
      awaitReady();
      return true;
    } catch (IllegalStateException e) {
      if (isAlive()) {
        throw e;
      }
      return false;
    }
  }

  private void awaitHealth(String path) {
    Processes.awaitHttpOk(process, "operator", URI.create("http://127.0.0.1:" + port + path), Duration.ofSeconds(60),
        () -> "log:\n" + tail(80));
  }

  /** SIGKILL: no shutdown hooks, no goodbye — a crash. */
  public synchronized void kill() {
    exitExpected = true;
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public synchronized void stop() {
    exitExpected = true;
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(java.time.Duration.ofSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Sends a signal (STOP freezes the process, CONT resumes it), as an OS would to a stalled node. */
  public synchronized void signal(String signal) {
    exitExpected = true; // a frozen leader that wakes halts, as the test that froze it expects
    try {
      new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Moves this process' log out of the logs scanned for errors: for a process a test deliberately broke (a
   * frozen leader), whose log the test checks itself.
   */
  public Path setLogAside() {
    try {
      Path aside = Files.createDirectories(Path.of("target", "operator-logs-aside")).resolve(log.getFileName());
      return Files.move(log, aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int exitCode() {
    return process.exitValue();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** host:port of its HTTP server (/q/metrics, /q/health), for a scraper. */
  public String httpAddress() {
    return "127.0.0.1:" + port;
  }

  public String metrics() {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An error or a stack-trace line: what no operator log may contain unless a test expects it. */
  public static final Pattern UNEXPECTED = Pattern.compile("\\bERROR\\b|^\\s+at [a-z]", Pattern.MULTILINE);

  /** Lines of every log this test JVM's operators wrote that report an error or a stack trace. */
  public static List<String> unexpectedLogLines() {
    List<String> found = new ArrayList<>();
    Path dir = Path.of("target", "operator-logs");
    if (!Files.isDirectory(dir)) {
      return found;
    }
    try (Stream<Path> logs = Files.list(dir)) {
      for (Path file : logs.toList()) {
        found.addAll(unexpectedLines(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /**
   * Lines of one log that report an error or a stack trace, each prefixed with the log's name, leaving out
   * what is no fault: once the process is stopping, work cut short by the stop (an interrupted call); and at
   * any time a Lease renewal that the client retries after the apiserver dropped its connection.
   */
  public static List<String> unexpectedLines(Path log) {
    return unexpectedEntries(log).stream().flatMap(entry -> entry.lines()
        .filter(line -> UNEXPECTED.matcher(line).find()).map(line -> log.getFileName() + ": " + line)).toList();
  }

  /** The entries of a log that {@link #unexpectedLines} reports, each whole (with its stack trace). */
  public static List<String> unexpectedEntries(Path log) {
    List<String> found = new ArrayList<>();
    boolean stopping = false;
    for (String entry : logEntries(log)) {
      stopping |= entry.lines().findFirst().orElse("").contains("is shutting down");
      boolean expected = stopping && INTERRUPTED.matcher(entry).find()
          || entry.contains("Exception occurred while acquiring lock") && DROPPED.matcher(entry).find();
      if (!expected && UNEXPECTED.matcher(entry).find()) {
        found.add(entry);
      }
    }
    return found;
  }

  private static final Pattern ENTRY_START = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ");
  private static final Pattern INTERRUPTED = Pattern.compile("Interrupted(IO)?Exception");
  private static final Pattern DROPPED = Pattern.compile("Connection (reset|was closed)|Closed by peer");

  /** The entries of a log: a line with a timestamp and the lines after it (a stack trace), as one text each. */
  public static List<String> logEntries(Path log) {
    List<String> entries = new ArrayList<>();
    StringBuilder entry = new StringBuilder();
    try {
      for (String line : Files.readAllLines(log)) {
        if (ENTRY_START.matcher(line).find() && !entry.isEmpty()) {
          entries.add(entry.toString());
          entry.setLength(0);
        }
        entry.append(entry.isEmpty() ? "" : "\n").append(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!entry.isEmpty()) {
      entries.add(entry.toString());
    }
    return entries;
  }

  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
