package dev.slipway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How GitOps tools read a live object's health, with their real code: kstatus (Flux, Helm 4 --wait) via
 * hack/kstatus, and Argo CD's Lua health check run by a Lua interpreter.
 */
public final class HealthReaders {
  private HealthReaders() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** kstatus' verdict: "Current ...", "InProgress ...", "Failed ...". */
  public static String kstatus(Object object) {
    return run(Commands.tool("kstatus"), json(object), null);
  }

  /** Argo CD's verdict from helm/slipway/argocd/health.lua: "Healthy|message", "Suspended|...". */
  public static String argoCd(Object object) {
    String script = "obj = " + lua(MAPPER.valueToTree(object)) + "\n"
        + "local hs = dofile('" + Cluster.repo().resolve("helm/slipway/argocd/health.lua") + "')\n"
        + "print(hs.status .. '|' .. (hs.message or ''))\n";
    return run("lua5.4", null, script);
  }

  private static String json(Object object) {
    try {
      return MAPPER.writeValueAsString(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON value as a Lua table constructor, as Argo CD hands objects to health scripts. */
  static String lua(JsonNode node) {
    if (node.isObject()) {
      StringBuilder out = new StringBuilder("{");
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull()) {
          out.append('[').append(luaString(e.getKey())).append("]=").append(lua(e.getValue())).append(',');
        }
      }
      return out.append('}').toString();
    }
    if (node.isArray()) {
      StringBuilder out = new StringBuilder("{");
      node.forEach(v -> out.append(lua(v)).append(','));
      return out.append('}').toString();
    }
    if (node.isTextual()) {
      return luaString(node.asText());
    }
    return node.isNull() ? "nil" : node.toString();
  }

  private static String luaString(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }

  private static String run(String program, String stdin, String luaScript) {
    Path script = null;
    try {
      ProcessBuilder pb;
      if (luaScript != null) {
        script = Files.createTempFile("health", ".lua");
        Files.writeString(script, luaScript);
        pb = new ProcessBuilder(program, script.toString());
      } else {
        pb = new ProcessBuilder(program);
      }
      Process p = pb.redirectErrorStream(true).start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(program + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (script != null) {
        script.toFile().delete();
      }
    }
  }
}
