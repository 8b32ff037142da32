package io.gatehouse.edge.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock the test moves by hand. */
final class ManualClock implements InstantSource {
  private Instant now;

  ManualClock(Instant start) {
    this.now = start;
  }

  @Override
  public Instant instant() {
    return now;
  }

  Instant advance(Duration by) {
    now = now.plus(by);
    return now;
  }
}
