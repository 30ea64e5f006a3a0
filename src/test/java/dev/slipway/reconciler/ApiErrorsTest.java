package dev.slipway.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ApiErrorsTest {
  @Test
  void aDroppedConnectionIsRetriedSoon() {
    assertThat(ApiErrors.isConnectionLost(new KubernetesClientException("An error has occurred.",
        new IOException("Connection was closed")))).isTrue();
    assertThat(ApiErrors.isConnectionLost(new KubernetesClientException("unavailable", 503, null))).isTrue();
  }

  @Test
  void anAnswerThatCannotBeReadIsNotAConnectionProblem() {
    ObjectMapper strict = new ObjectMapper();
    strict.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNameLength(10).build());
    Exception unreadable = null;
    try {
      strict.readTree("{\"a-name-longer-than-ten\": 1}");
    } catch (IOException e) {
      unreadable = e;
    }
    assertThat(unreadable).isNotNull();
    assertThat(ApiErrors.isConnectionLost(new KubernetesClientException("An error has occurred.", unreadable)))
        .isFalse();
  }
}
