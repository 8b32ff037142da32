package io.gatehouse.edge.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects readings into one {@link Upstream.Batch}: emitted at once when full, or by {@link #tick}
 * once {@code max-millis} passed since its first reading arrived; see {@link BatchSpec}. Arrival is
 * stamped with the injected clock, not reading times, which may lie in the past (window outputs).
 */
public final class BatchStage implements Stage {
  private final int maxMessages;
  private final Duration maxWait;
  private final InstantSource clock;
  private List<Reading> pending = new ArrayList<>();
  private Instant firstArrival;

  public BatchStage(BatchSpec spec, InstantSource clock) {
    this.maxMessages = spec.maxMessages();
    this.maxWait = Duration.ofMillis(spec.maxMillis());
    this.clock = clock;
  }

  @Override
  public List<Upstream> accept(Upstream item) {
    List<Upstream> out = new ArrayList<>(1);
    for (Reading reading : item.readings()) {
      if (pending.isEmpty()) {
        firstArrival = clock.instant();
      }
      pending.add(reading);
      if (pending.size() == maxMessages) {
        out.add(drain());
      }
    }
    return out;
  }

  @Override
  public List<Upstream> tick(Instant now) {
    if (pending.isEmpty() || now.isBefore(firstArrival.plus(maxWait))) {
      return List.of();
    }
    return List.of(drain());
  }

  @Override
  public List<Upstream> flush() {
    return pending.isEmpty() ? List.of() : List.of(drain());
  }

  private Upstream drain() {
    Upstream batch = new Upstream.Batch(pending);
    pending = new ArrayList<>();
    firstArrival = null;
    return batch;
  }
}
