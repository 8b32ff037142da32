package io.gatehouse.edge.local.mqtt;

import java.util.concurrent.CompletableFuture;

/** Takes commands for one connected leaf. Called on the connection's event loop only. */
interface LeafOutbox {
  /** Queues the payload for the leaf; {@code result} completes on its PUBACK or fails with the reason. */
  void offer(byte[] payload, CompletableFuture<Void> result);
}
