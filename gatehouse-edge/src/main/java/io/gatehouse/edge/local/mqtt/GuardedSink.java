package io.gatehouse.edge.local.mqtt;

import io.gatehouse.edge.local.LeafSink;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LeafSink} as the handlers call it: an exception thrown by the sink becomes a failed
 * future (accept) or a log line (notifications), never an error in a connection's pipeline.
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
    try {
      sink.unknownLeaf(clientId, reason, from);
    } catch (RuntimeException e) {
      log.warn("leaf sink failed on unknownLeaf client={} error=\"{}\"", clientId, e.toString());
    }
  }

  void leafConnected(String leafId) {
    try {
      sink.leafConnected(leafId);
    } catch (RuntimeException e) {
      log.warn("leaf sink failed on leafConnected leaf={} error=\"{}\"", leafId, e.toString());
    }
  }

  void leafDisconnected(String leafId) {
    try {
      sink.leafDisconnected(leafId);
    } catch (RuntimeException e) {
      log.warn("leaf sink failed on leafDisconnected leaf={} error=\"{}\"", leafId, e.toString());
    }
  }

  void commandsWanted(String leafId) {
    try {
      sink.commandsWanted(leafId);
    } catch (RuntimeException e) {
      log.warn("leaf sink failed on commandsWanted leaf={} error=\"{}\"", leafId, e.toString());
    }
  }

  void commandsUnwanted(String leafId) {
    try {
      sink.commandsUnwanted(leafId);
    } catch (RuntimeException e) {
      log.warn("leaf sink failed on commandsUnwanted leaf={} error=\"{}\"", leafId, e.toString());
    }
  }
}
