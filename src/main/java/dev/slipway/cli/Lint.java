package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.v1alpha1.GateSpec;
import dev.slipway.gate.GateProblems;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `lint`: WebApp and RolloutPolicy files checked offline against the CRD schemas and CEL rules this build
 * generated, plus what no schema can see: a policyRef to a policy in the file set, gate conditions that are
 * CEL, query placeholders that exist. Messages name the file and line.
 */
@Command(name = "lint", description = "Check WebApp and RolloutPolicy files offline (schemas, CEL rules, references).")
public class Lint implements Callable<Integer> {
  static final String GROUP = "slipway.dev/";
  /** Reads a gate of a file as the operator reads it from the apiserver; the schema check reports the rest. */
  private static final ObjectMapper GATES = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "YAML files (several documents each allowed).")
  List<Path> files;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** A lint finding: file, line and message. */
  public record Finding(Path file, int line, String message) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + message;
    }
  }

  @Override
  public Integer call() throws IOException {
    List<Finding> findings = lint(files);
    findings.forEach(f -> spec.commandLine().getOut().println(f));
    if (findings.isEmpty()) {
      spec.commandLine().getOut().println(files.size() + " file(s) OK");
    }
    return (findings.isEmpty() ? ExitCode.OK : ExitCode.FINDINGS).code();
  }

  public static List<Finding> lint(List<Path> files) throws IOException {
    Map<String, JSONSchemaProps> schemas = Map.of("WebApp", schema("webapps.slipway.dev-v1.yml"),
        "RolloutPolicy", schema("rolloutpolicies.slipway.dev-v1.yml"));
    record Doc(Path file, LocatedYaml yaml, String kind, String name) {}
    List<Doc> docs = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        findings.add(new Finding(file, 0, "no such file"));
        continue;
      }
      try {
        for (LocatedYaml y : LocatedYaml.read(file)) {
          String apiVersion = y.node().path("apiVersion").asText();
          String kind = y.node().path("kind").asText();
          if (apiVersion.startsWith(GROUP) && schemas.containsKey(kind)) {
            docs.add(new Doc(file, y, kind, y.node().path("metadata").path("name").asText("<no name>")));
          }
        }
      } catch (IOException e) {
        findings.add(new Finding(file, 0, "not YAML: " + e.getMessage()));
      }
    }
    Set<String> policies = new HashSet<>();
    docs.stream().filter(d -> d.kind().equals("RolloutPolicy")).forEach(d -> policies.add(d.name()));
    for (Doc d : docs) {
      String prefix = d.kind() + " " + d.name() + ": ";
      for (SchemaValidator.Problem p : SchemaValidator.validate(d.yaml().node(), schemas.get(d.kind()))) {
        findings.add(new Finding(d.file(), d.yaml().lineOf(p.path()), prefix + p.path() + ": " + p.message()));
      }
      JsonNode spec = d.yaml().node().path("spec");
      if (d.kind().equals("WebApp")) {
        String ref = spec.path("rollout").path("policyRef").path("name").asText(null);
        if (ref != null && !policies.contains(ref)) {
          findings.add(new Finding(d.file(), d.yaml().lineOf("spec.rollout.policyRef.name"), prefix
              + "spec.rollout.policyRef.name: RolloutPolicy " + ref + " is not among the files given"));
        }
        checkProbeReferences(spec).forEach(m -> findings.add(new Finding(d.file(), d.yaml().lineOf(m[0]),
            prefix + m[0] + ": " + m[1])));
      } else {
        JsonNode gates = spec.path("gates");
        for (int i = 0; i < gates.size(); i++) {
          String path = "spec.gates[" + i + "]";
          gateProblems(gates.get(i)).forEach(p -> findings.add(new Finding(d.file(),
              d.yaml().lineOf(path + "." + p.field()), prefix + path + "." + p.field() + ": " + p.message())));
        }
      }
    }
    return findings;
  }

  /** Exec probes of workers that reference a variable the kubelet will not expand: [path, message] pairs. */
  private static List<String[]> checkProbeReferences(JsonNode spec) {
    List<String[]> problems = new ArrayList<>();
    JsonNode workers = spec.path("workers");
    for (int i = 0; i < workers.size(); i++) {
      JsonNode exec = workers.get(i).path("health").path("exec");
      if (!exec.isArray()) {
        continue;
      }
      Set<String> staticEnv = new HashSet<>();
      for (JsonNode env : List.of(spec.path("env"), workers.get(i).path("env"))) {
        // A component's entry replaces the shared one of that name, so a later valueFrom removes a value.
        env.forEach(e -> {
          if (e.has("valueFrom")) {
            staticEnv.remove(e.path("name").asText());
          } else {
            staticEnv.add(e.path("name").asText());
          }
        });
      }
      List<String> command = new ArrayList<>();
      exec.forEach(a -> command.add(a.asText()));
      String path = "spec.workers[" + i + "].health.exec";
      ProbeCommands.unexpanded(command, staticEnv).forEach(u -> problems.add(new String[] {
          path + "[" + u.argument() + "]", u.message()}));
    }
    return problems;
  }

  /**
   * What the operator would refuse in a gate. A gate whose fields do not even have their types is left to the
   * schema check above, which names them.
   */
  private static List<GateProblems.Problem> gateProblems(JsonNode gate) {
    GateSpec spec;
    try {
      spec = GATES.convertValue(gate, GateSpec.class);
    } catch (IllegalArgumentException e) {
      return List.of();
    }
    return GateProblems.of(spec);
  }

  private static JSONSchemaProps schema(String file) throws IOException {
    try (InputStream in = Lint.class.getResourceAsStream("/slipway/crds/" + file)) {
      if (in == null) {
        throw new IOException("CRD " + file + " is not packaged with kubectl-slipway");
      }
      CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
      return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    }
  }
}
