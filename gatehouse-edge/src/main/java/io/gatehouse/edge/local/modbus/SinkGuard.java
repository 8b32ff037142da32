package io.gatehouse.edge.local.modbus;

import io.gatehouse.edge.local.LeafSink;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LeafSink} as device sessions call it: an exception thrown by the sink becomes a failed
 * future (accept) or a log line (notifications), never an error that stops a device's schedule.
 * (The same shape as the MQTT endpoint's guard, which is package-private there.)
 */
final class SinkGuard {
  private static final Logger log = LoggerFactory.getLogger(SinkGuard.class);
  private static final Map<String, String> JSON = Map.of("content-type", "application/json");

  private final LeafSink sink;

  SinkGuard(LeafSink sink) {
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /** Hands over one reading, a JSON object. */
  CompletableFuture<Void> accept(String leafId, byte[] json) {
    try {
      CompletableFuture<Void> stored = sink.accept(leafId, json, JSON);
      return stored != null ? stored
          : CompletableFuture.failedFuture(new IllegalStateException("the leaf sink returned no future"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  void leafConnected(String leafId) {
    notify("leafConnected", leafId, sink::leafConnected);
  }

  void leafDisconnected(String leafId) {
    notify("leafDisconnected", leafId, sink::leafDisconnected);
  }

  void commandsWanted(String leafId) {
    notify("commandsWanted", leafId, sink::commandsWanted);
  }

  void commandsUnwanted(String leafId) {
    notify("commandsUnwanted", leafId, sink::commandsUnwanted);
  }

  private static void notify(String event, String leafId, Consumer<String> call) {
    try {
      call.accept(leafId);
    } catch (RuntimeException e) {
      log.warn("leaf sink failed on {} leaf={} error=\"{}\"", event, leafId, e.toString());
    }
  }
}
