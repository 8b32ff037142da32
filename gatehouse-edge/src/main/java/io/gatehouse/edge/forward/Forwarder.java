package io.gatehouse.edge.forward;

import io.gatehouse.edge.buffer.BufferedEntry;
import io.gatehouse.edge.buffer.ForwardBuffer;
import io.gatehouse.edge.uplink.PublishOutcome;
import io.gatehouse.edge.uplink.Uplink;
import java.util.ArrayDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the store-and-forward buffer through the uplink, oldest first, with up to {@code window}
 * publishes awaiting their PUBACK. Only the service gateway's answer removes a message: an accepted
 * one is durable upstream, a refused one would be refused again (it is counted and logged). The
 * acknowledged position advances over the answered prefix only, so the buffer's order is the order
 * upstream. When the uplink drops, the unanswered messages are sent again after it is back: delivery
 * is at least once (exactly once across a graceful gateway restart, which answers what it committed).
 *
 * <p>All state lives on the forwarder's own thread; publish answers arrive from the MQTT client's
 * threads as events on a queue, so nothing here needs a lock.
 */
public final class Forwarder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
  /** How long the thread waits for an answer or new data before looking at the buffer again. */
  private static final long IDLE_POLL_MILLIS = 20;

  private record Sent(long sequence, String deviceId, CompletableFuture<PublishOutcome> answer) {}

  private final ForwardBuffer buffer;
  private final Uplink uplink;
  private final int window;
  private final BlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
  private final ArrayDeque<Sent> inFlight = new ArrayDeque<>();
  private final Thread thread;
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong resent = new AtomicLong();
  private long lastSent;
  private boolean resendAfterDrain;
  private volatile boolean running = true;

  public Forwarder(ForwardBuffer buffer, Uplink uplink, int window) {
    if (window < 1) {
      throw new IllegalArgumentException("forwarding window must be at least 1, got " + window);
    }
    this.buffer = buffer;
    this.uplink = uplink;
    this.window = window;
    this.thread = Thread.ofPlatform().name("gatehouse-edge-forwarder").daemon(true).unstarted(this::loop);
  }

  public void start() {
    thread.start();
  }

  /** Messages accepted upstream, refused upstream, and sent again after a lost connection. */
  public record Counters(long forwarded, long refused, long resent) {}

  public Counters counters() {
    return new Counters(forwarded.get(), refused.get(), resent.get());
  }

  private void loop() {
    while (running) {
      try {
        Runnable event = events.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        while (event != null) {
          event.run();
          event = events.poll();
        }
        settleAnsweredPrefix();
        sendMore();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("edge forwarder step failed; retrying", e);
      }
    }
  }

  private void sendMore() {
    if (resendAfterDrain || !uplink.isConnected() || inFlight.size() >= window) {
      return;
    }
    for (BufferedEntry entry : buffer.peek(lastSent, window - inFlight.size())) {
      CompletableFuture<PublishOutcome> answer = uplink.publish(entry.message().deviceId(),
          entry.message().properties(), entry.message().payload());
      Sent sent = new Sent(entry.sequence(), entry.message().deviceId(), answer);
      inFlight.add(sent);
      lastSent = entry.sequence();
      answer.whenComplete((outcome, failure) -> events.add(() -> { }));
    }
  }

  /** Acknowledges the answered head of the window; after a lost connection, rewinds once it is empty. */
  private void settleAnsweredPrefix() {
    long through = -1;
    while (!inFlight.isEmpty() && inFlight.peek().answer().isDone()) {
      Sent head = inFlight.poll();
      if (head.answer().isCompletedExceptionally()) {
        resendAfterDrain = true;
        continue;
      }
      if (resendAfterDrain) {
        continue; // an earlier message went unanswered: this one is sent again with it, in order
      }
      switch (head.answer().resultNow()) {
        case PublishOutcome.Accepted accepted -> forwarded.incrementAndGet();
        case PublishOutcome.Refused no -> {
          refused.incrementAndGet();
          LOG.warn("edge message refused upstream device={} sequence={} code=0x{} reason=\"{}\"", head.deviceId(),
              head.sequence(), Integer.toHexString(no.reasonCode()), no.reason());
        }
      }
      through = head.sequence();
    }
    if (through > 0) {
      buffer.acknowledge(through);
    }
    if (resendAfterDrain && inFlight.isEmpty()) {
      long rewound = lastSent;
      lastSent = 0; // peek from the oldest unacknowledged message again
      resendAfterDrain = false;
      resent.incrementAndGet();
      LOG.info("edge forwarder resending unanswered messages after a lost uplink, last sent was {}", rewound);
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
