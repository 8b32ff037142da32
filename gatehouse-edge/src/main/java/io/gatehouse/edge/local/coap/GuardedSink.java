package io.gatehouse.edge.local.coap;

import io.gatehouse.edge.local.LeafSink;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LeafSink} as this endpoint calls it: an exception thrown by the sink becomes a failed
 * future (accept) or a log line (notifications), never an error inside Californium's threads.
 */
final class GuardedSink {
  private static final Logger log = LoggerFactory.getLogger(GuardedSink.class);

  private final LeafSink sink;

  GuardedSink(LeafSink sink) {
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  CompletableFuture<Void> accept(String leafId, byte[] payload, Map<String, String> properties) {
    try {
      CompletableFuture<Void> stored = sink.accept(leafId, payload, properties);
      return stored != null ? stored
          : CompletableFuture.failedFuture(new IllegalStateException("the leaf sink returned no future"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  void unknownLeaf(String clientId, String reason, InetSocketAddress from) {
    guarded("unknownLeaf", clientId, s -> s.unknownLeaf(clientId, reason, from));
  }

  void leafConnected(String leafId) {
    guarded("leafConnected", leafId, s -> s.leafConnected(leafId));
  }

  void leafDisconnected(String leafId) {
    guarded("leafDisconnected", leafId, s -> s.leafDisconnected(leafId));
  }

  void commandsWanted(String leafId) {
    guarded("commandsWanted", leafId, s -> s.commandsWanted(leafId));
  }

  void commandsUnwanted(String leafId) {
    guarded("commandsUnwanted", leafId, s -> s.commandsUnwanted(leafId));
  }

  private void guarded(String call, String leafId, Consumer<LeafSink> notification) {
    try {
      notification.accept(sink);
    } catch (RuntimeException e) {
      log.warn("leaf sink failed on {} leaf={} error=\"{}\"", call, leafId, e.toString());
    }
  }
}
