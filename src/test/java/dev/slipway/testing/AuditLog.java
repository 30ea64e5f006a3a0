package dev.slipway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The apiserver's audit log (hack/cluster.sh logs every write): who wrote what, counted from the server's side. */
public final class AuditLog {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  public static final String OPERATOR_USER = "slipway-operator";

  /** A write: verb, resource and name, who made it and when the apiserver received it. */
  public record Write(String verb, String resource, String name, String subresource, String user, Instant at) {
    @Override
    public String toString() {
      return verb + " " + resource + (subresource != null ? "/" + subresource : "") + " " + name;
    }
  }

  /** Writes by `user` in `namespace` received at or after `since`. */
  public static List<Write> writes(String user, String namespace, Instant since) {
    return writes(namespace, since).stream().filter(w -> w.user().equals(user)).toList();
  }

  /** Every write in `namespace` received at or after `since`, in the order the apiserver logged them. */
  public static List<Write> writes(String namespace, Instant since) {
    List<Write> writes = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Cluster.auditLog())) {
        JsonNode e = MAPPER.readTree(line);
        JsonNode ref = e.path("objectRef");
        Instant at = Instant.parse(e.path("requestReceivedTimestamp").asText());
        if (namespace.equals(ref.path("namespace").asText()) && !at.isBefore(since)) {
          writes.add(new Write(e.path("verb").asText(), ref.path("resource").asText(), ref.path("name").asText(),
              ref.hasNonNull("subresource") ? ref.path("subresource").asText() : null,
              e.path("user").path("username").asText(), at));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writes;
  }
}
