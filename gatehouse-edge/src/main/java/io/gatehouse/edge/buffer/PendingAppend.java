package io.gatehouse.edge.buffer;

import java.util.concurrent.CompletableFuture;

/** An encoded message waiting for the writer, and the future its caller holds. */
record PendingAppend(EncodedMessage message, CompletableFuture<Long> future) {
  PendingAppend(EncodedMessage message) {
    this(message, new CompletableFuture<>());
  }
}
