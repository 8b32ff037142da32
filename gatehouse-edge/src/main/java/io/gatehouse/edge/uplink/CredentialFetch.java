package io.gatehouse.edge.uplink;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the credential for the next connection attempt once its backoff delay has passed, so that
 * the attempt presents what is current then: a token signed for that moment, a certificate file
 * renewed during the outage. A source that cannot make one (a file half-replaced by a renewal, a
 * key that does not match its certificate, an expired certificate) is asked again after the next
 * backoff delay: the uplink never gives up, and never connects with a credential it already knows
 * the service gateway would refuse.
 */
final class CredentialFetch {
  private static final Logger LOG = LoggerFactory.getLogger(CredentialFetch.class);

  private final CredentialSource source;
  private final Clock clock;
  private final Backoff backoff;
  private final String edgeId;
  private final BooleanSupplier stopped;
  private final Consumer<String> problems;

  /**
   * @param stopped true once the uplink is closed: a pending fetch then ends with a {@link CancellationException}
   * @param problems told every reason a credential could not be made (the uplink's status)
   */
  CredentialFetch(CredentialSource source, Clock clock, Backoff backoff, String edgeId, BooleanSupplier stopped,
      Consumer<String> problems) {
    this.source = source;
    this.clock = clock;
    this.backoff = backoff;
    this.edgeId = edgeId;
    this.stopped = stopped;
    this.problems = problems;
  }

  /** Completes with a credential made after {@code delay} (or later, if the source failed meanwhile). */
  CompletableFuture<UplinkCredential> after(Duration delay) {
    CompletableFuture<UplinkCredential> result = new CompletableFuture<>();
    attempt(result, delay.toMillis());
    return result;
  }

  private void attempt(CompletableFuture<UplinkCredential> result, long delayMillis) {
    CompletableFuture.runAsync(() -> {
      if (stopped.getAsBoolean()) {
        result.completeExceptionally(new CancellationException("the uplink is closed"));
        return;
      }
      try {
        result.complete(source.credential(clock.instant()));
      } catch (RuntimeException e) {
        long next = backoff.next().toMillis();
        String problem = "no usable credential (" + source.kind() + "): " + e.getMessage();
        problems.accept(problem);
        LOG.error("uplink cannot connect edge={} problem=\"{}\" retryInMs={}", edgeId, problem, next);
        attempt(result, next);
      }
    }, CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS));
  }
}
