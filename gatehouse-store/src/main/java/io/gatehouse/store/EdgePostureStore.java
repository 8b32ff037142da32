package io.gatehouse.store;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The latest posture report of each field gateway; a new report replaces the previous one, and
 * deleting the edge deletes its report.
 */
public interface EdgePostureStore {
  /**
   * Stores {@code posture} in place of the edge's previous report. Never blocks, so that a network
   * event loop may call it: the future completes once the report is committed (the moment to
   * acknowledge it), or fails — with {@link io.gatehouse.core.error.NotFoundException} if there is
   * no device {@code edgeId}, with {@link io.gatehouse.core.error.LimitExceededException} if the
   * store is overloaded.
   */
  CompletableFuture<EdgePosture> save(EdgePosture posture);

  /** The edge's latest report, if it ever sent one. Blocks on the store. */
  Optional<EdgePosture> find(String edgeId);
}
