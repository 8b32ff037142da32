package io.gatehouse.edge.pipeline;

import java.time.Instant;
import java.util.List;

/**
 * One step of the {@link Pipeline}. A stage receives outputs of the stage before it, in order, and
 * emits zero or more outputs. Stages that hold readings back emit them from {@link #tick} when their
 * time has come, and from {@link #flush} at shutdown; time is always passed in, never slept on.
 * Stages are not thread-safe: a pipeline is driven from one thread.
 */
public sealed interface Stage permits PerReadingStage, WindowStage, BatchStage {

  List<Upstream> accept(Upstream item);

  /** Emits what became due by {@code now}. */
  default List<Upstream> tick(Instant now) {
    return List.of();
  }

  /** Emits everything still held, for shutdown. */
  default List<Upstream> flush() {
    return List.of();
  }
}
