package io.gatehouse.edge.local;

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
public final class RecordingLeafSink implements LeafSink {
  public record Accepted(String leafId, byte[] payload, Map<String, String> properties) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  public record Refusal(String clientId, String reason, InetSocketAddress from) {}

  public final List<Accepted> accepted = new CopyOnWriteArrayList<>();
  public final List<Refusal> refusals = new CopyOnWriteArrayList<>();
  /** "connected:id", "disconnected:id", "wanted:id" and "unwanted:id", in order. */
  public final List<String> presence = new CopyOnWriteArrayList<>();
  private final BlockingQueue<CompletableFuture<Void>> held = new LinkedBlockingQueue<>();
  private volatile boolean holding;

  /** From now on, accept() returns futures the test completes (see {@link #nextHeld()}). */
  public void holdAcceptance() {
    holding = true;
  }

  public CompletableFuture<Void> nextHeld() throws InterruptedException {
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

  @Override
  public void commandsWanted(String leafId) {
    presence.add("wanted:" + leafId);
  }

  @Override
  public void commandsUnwanted(String leafId) {
    presence.add("unwanted:" + leafId);
  }
}
