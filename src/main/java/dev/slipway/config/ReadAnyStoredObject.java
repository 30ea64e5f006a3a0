package dev.slipway.config;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Lets the client read every object the apiserver can store. Jackson refuses JSON names over 50,000 characters
 * by default, yet a stored object can hold longer ones: managedFields name list items by their keys
 * ({@code k:{"name":"<an env variable's name>"}}), and the apiserver does not bound an env variable's name. One
 * such object in a watch made the informer stop for good (found by the fuzzing campaign), leaving the operator
 * blind to every later change of that kind.
 */
@Singleton
public class ReadAnyStoredObject implements KubernetesClientObjectMapperCustomizer {
  /** More than etcd accepts in one object (1.5 MiB by default). */
  static final int MAX_NAME_LENGTH = 4 * 1024 * 1024;

  @Override
  public void customize(ObjectMapper mapper) {
    mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNameLength(MAX_NAME_LENGTH).build());
  }
}
