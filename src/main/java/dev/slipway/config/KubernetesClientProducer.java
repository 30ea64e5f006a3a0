package dev.slipway.config;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Quarkus' client, with every request counted by {@link ApiCallMeter}; replaces the default bean. */
public class KubernetesClientProducer {

  @Produces
  @Singleton
  KubernetesClient kubernetesClient(KubernetesSerialization serialization, Config config, ApiCallMeter meter) {
    return new KubernetesClientBuilder().withKubernetesSerialization(serialization).withConfig(config)
        .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("slipway-api-calls", meter))
        .build();
  }

  void close(@Disposes KubernetesClient client) {
    client.close();
  }
}
