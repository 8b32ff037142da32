package io.gatehouse.edge.local;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LeafSink} as an adapter's I/O threads call it: an exception thrown by the sink becomes a
 * failed future ({@link #accept}) or a log line (the notifications), never an error inside a
 * network library's thread or a device's schedule. Every adapter wraps its sink in one.
 */
public final class GuardedSink implements LeafSink {
  private static final Logger log = LoggerFactory.getLogger(GuardedSink.class);

  private final LeafSink sink;

  public GuardedSink(LeafSink sink) {
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  @Override
  public CompletableFuture<Void> accept(String leafId, byte[] payload, Map<String, String> properties) {
    try {
      CompletableFuture<Void> stored = sink.accept(leafId, payload, properties);
      return stored != null ? stored
          : CompletableFuture.failedFuture(new IllegalStateException("the leaf sink returned no future"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void unknownLeaf(String clientId, String reason, InetSocketAddress from) {
    guarded("unknownLeaf", clientId, s -> s.unknownLeaf(clientId, reason, from));
  }

  @Override
  public void leafConnected(String leafId) {
    guarded("leafConnected", leafId, s -> s.leafConnected(leafId));
  }

  @Override
  public void leafDisconnected(String leafId) {
    guarded("leafDisconnected", leafId, s -> s.leafDisconnected(leafId));
  }

  @Override
  public void commandsWanted(String leafId) {
    guarded("commandsWanted", leafId, s -> s.commandsWanted(leafId));
  }

  @Override
  public void commandsUnwanted(String leafId) {
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
