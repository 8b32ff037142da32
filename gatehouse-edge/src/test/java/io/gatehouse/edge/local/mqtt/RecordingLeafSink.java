package io.gatehouse.edge.local.mqtt;

import io.gatehouse.edge.local.LeafSink;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what the endpoint hands over; can hold acceptance so a test decides when a message is "durable". */
final class RecordingLeafSink implements LeafSink {
  record Accepted(String leafId, byte[] payload, Map<String, String> properties) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  record Refusal(String clientId, String reason, InetSocketAddress from) {}

  final List<Accepted> accepted = new CopyOnWriteArrayList<>();
  final List<Refusal> refusals = new CopyOnWriteArrayList<>();
  /** "connected:id" and "disconnected:id", in order. */
  final List<String> presence = new CopyOnWriteArrayList<>();
  private final BlockingQueue<CompletableFuture<Void>> held = new LinkedBlockingQueue<>();
  private volatile boolean holding;

  /** From now on, accept() returns futures the test completes (see {@link #nextHeld()}). */
  void holdAcceptance() {
    holding = true;
  }

  CompletableFuture<Void> nextHeld() throws InterruptedException {
    CompletableFuture<Void> future = held.poll(5, TimeUnit.SECONDS);
    if (future == null) {
      throw new AssertionError("the endpoint did not hand a message to the sink within 5 s");
    }
    return future;
  }

  @Override
  public CompletableFuture<Void> accept(String leafId, byte[] payload, Map<String, String> properties) {
    accepted.add(new Accepted(leafId, payload, properties));
    if (!holding) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> future = new CompletableFuture<>();
    held.add(future);
    return future;
  }

  @Override
  public void unknownLeaf(String clientId, String reason, InetSocketAddress from) {
    refusals.add(new Refusal(clientId, reason, from));
  }

  @Override
  public void leafConnected(String leafId) {
    presence.add("connected:" + leafId);
  }

  @Override
  public void leafDisconnected(String leafId) {
    presence.add("disconnected:" + leafId);
  }
}
