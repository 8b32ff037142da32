package io.gatehouse.bench.scenario;

import io.gatehouse.bench.client.DeviceClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Leaves publishing QoS 1 JSON readings, each keeping {@code window} publishes unacknowledged (closed
 * loop). Every reading carries its phase's tag and the leaf's own sequence number, so what reaches
 * the service gateway can be checked message by message: nothing lost, nothing twice.
 */
final class LeafLoad {
  /** After the sending stopped, how long unanswered publishes are waited for. */
  private static final long ANSWER_WAIT_SECONDS = 30;

  private final List<DeviceClient> leaves;
  private final int window;
  private final int payloadBytes;

  LeafLoad(List<DeviceClient> leaves, int window, int payloadBytes) {
    this.leaves = List.copyOf(leaves);
    this.window = window;
    this.payloadBytes = payloadBytes;
  }

  /** Publishes for {@code duration}, as fast as the acknowledgements come back. */
  Telemetry.Phase forDuration(String tag, Duration duration) throws InterruptedException {
    return run(tag, Long.MAX_VALUE, 0, duration, true);
  }

  /** Publishes {@code total} messages in all, spread evenly over the leaves, within {@code limit}. */
  Telemetry.Phase messages(String tag, long total, Duration limit) throws InterruptedException {
    return run(tag, total / leaves.size(), total % leaves.size(), limit, false);
  }

  /**
   * @param quota messages per leaf; the first {@code extra} leaves send one more
   * @param limitIsTheEnd true when reaching {@code limit} is how the phase ends, false when it means
   *     the phase was cut short
   */
  private Telemetry.Phase run(String tag, long quota, long extra, Duration limit, boolean limitIsTheEnd)
      throws InterruptedException {
    Telemetry.Phase phase = new Telemetry.Phase();
    Chains chains = new Chains(phase, new CountDownLatch(leaves.size() * window));
    phase.start = System.nanoTime();
    for (int i = 0; i < leaves.size(); i++) {
      Leaf leaf = new Leaf(leaves.get(i), tag, i < extra ? quota + 1 : quota);
      for (int w = 0; w < window; w++) {
        leaf.next(chains);
      }
    }
    if (!chains.done.await(limit.toNanos(), TimeUnit.NANOSECONDS)) {
      chains.stop.set(true);
      if (!limitIsTheEnd) {
        phase.aborted = true;
        phase.abortReason = "time limit of " + limit.toSeconds() + " s reached";
      }
      chains.done.await(ANSWER_WAIT_SECONDS, TimeUnit.SECONDS);
    }
    phase.sent = chains.sent.get();
    return phase;
  }

  /** A reading of about {@code size} bytes: {@code {"phase":"rate","seq":17,"temperature":215,"pad":"…"}}. */
  static byte[] reading(String tag, long seq, int size) {
    StringBuilder json = new StringBuilder(size).append("{\"phase\":\"").append(tag).append("\",\"seq\":").append(seq)
        .append(",\"temperature\":215,\"pad\":\"");
    while (json.length() < size - 2) {
      json.append((char) ('a' + json.length() % 26));
    }
    return json.append("\"}").toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** What the publish chains of one phase share. */
  private record Chains(Telemetry.Phase phase, CountDownLatch done, AtomicBoolean stop, AtomicLong sent) {
    Chains(Telemetry.Phase phase, CountDownLatch done) {
      this(phase, done, new AtomicBoolean(), new AtomicLong());
    }
  }

  /** One leaf's publishes in a phase: its sequence numbers run from 0 to its quota. */
  private final class Leaf {
    private final DeviceClient client;
    private final String topic;
    private final String tag;
    private final long quota;
    private final AtomicLong nextSeq = new AtomicLong();

    Leaf(DeviceClient client, String tag, long quota) {
      this.client = client;
      this.topic = client.login().telemetryTopic();
      this.tag = tag;
      this.quota = quota;
    }

    /** Sends the leaf's next reading, and on its PUBACK the one after: one chain of the leaf's window. */
    void next(Chains chains) {
      long seq;
      if (chains.stop().get() || (seq = nextSeq.getAndIncrement()) >= quota) {
        chains.done().countDown();
        return;
      }
      chains.sent().incrementAndGet();
      byte[] payload = reading(tag, seq, payloadBytes);
      long t0 = System.nanoTime();
      client.publish(topic, payload).whenComplete((ok, error) -> {
        chains.phase().done(t0, System.nanoTime(), error);
        next(chains);
      });
    }
  }
}
