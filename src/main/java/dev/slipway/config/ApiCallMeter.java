package dev.slipway.config;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Counts every API request the operator makes, by verb and resource (slipway_api_requests_total), so the
 * benchmark's API economy is measured from our side and checked against the apiserver's own count.
 *
 * <p>It is also the chaos tests' fault point: with slipway.fault.halt-after-writes=N the process dies like a
 * kill -9 right after its N-th write (Lease renewals aside) reached the apiserver, between the writes of one
 * reconcile. Never set in production; the chart has no value for it.
 */
@Singleton
public class ApiCallMeter implements Interceptor {
  private static final Logger LOG = Logger.getLogger(ApiCallMeter.class);

  private final MeterRegistry registry;
  private final int haltAfterWrites;
  private final AtomicInteger writes = new AtomicInteger();

  ApiCallMeter(MeterRegistry registry,
      @ConfigProperty(name = "slipway.fault.halt-after-writes") Optional<Integer> haltAfterWrites) {
    this.registry = registry;
    this.haltAfterWrites = haltAfterWrites.orElse(0);
  }

  @Override
  public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    ApiRequest call = ApiRequest.of(request.method(), request.uri().getRawPath(), request.uri().getRawQuery());
    Counter.builder("slipway_api_requests_total").description("API requests the operator made")
        .tag("verb", call.verb()).tag("resource", call.resource()).tag("code", String.valueOf(response.code()))
        .register(registry).increment();
    boolean countedWrite = call.isWrite() && !"leases".equals(call.resource());
    if (haltAfterWrites > 0 && countedWrite && writes.incrementAndGet() == haltAfterWrites) {
      LOG.warnf("fault injection: halting after write %d (%s %s)", haltAfterWrites, call.verb(), call.resource());
      Runtime.getRuntime().halt(137);
    }
  }
}
