package io.gatehouse.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.bench.target.EdgeLeaves;
import io.gatehouse.bench.target.TelemetryPage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One phase's leaf readings as the service gateway stored them, read from its telemetry log page by
 * page through the service API: how many arrived, how many came twice (same leaf, same sequence
 * number), when the first and the last were enqueued (by the gateway's clock, the machine's), and
 * whether each carries the edge's mark: the edge named as carrier, the pipeline's scaling applied.
 */
final class ArrivalTally {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** What {@link LeafLoad#reading}'s temperature of 215 becomes through {@code EdgeProcess.PIPELINE}. */
  private static final double SCALED_TEMPERATURE = 21.5;
  private static final long POLL_MILLIS = 100;

  private final String tag;
  private final String edgeId;
  private final Set<String> leafIds;
  private final Map<String, BitSet> seen = new HashMap<>();
  private Long cursor;
  private long arrived;
  private long duplicates;
  private long notViaEdge;
  private long notTransformed;
  private Instant first;
  private Instant last;
  /** Enqueue times (epoch ms) of the distinct arrivals, for {@link #arrivedWithin}. */
  private long[] enqueuedMillis = new long[1024];

  /** The gateway's telemetry log, a page at a time. */
  @FunctionalInterface
  interface LogReader {
    /** The page starting at sequence {@code cursor}; with null, the page where the phase begins. */
    TelemetryPage read(Long cursor) throws Exception;
  }

  ArrivalTally(String tag, EdgeLeaves leaves) {
    this.tag = tag;
    this.edgeId = leaves.edgeId();
    this.leafIds = new HashSet<>(leaves.ids());
  }

  /**
   * Reads the log to its end until {@code expected} distinct messages of the phase are in it, polling
   * while they are still on their way; false if {@code limit} passed first.
   */
  boolean await(LogReader log, long expected, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      TelemetryPage page = log.read(cursor);
      for (TelemetryPage.Message message : page.items()) {
        count(message);
        cursor = message.sequence() + 1;
      }
      if (page.more() && !page.items().isEmpty()) {
        continue;
      }
      if (arrived >= expected) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  private void count(TelemetryPage.Message message) {
    if (!leafIds.contains(message.deviceId()) || message.payload() == null) {
      return;
    }
    JsonNode reading;
    try {
      reading = JSON.readTree(message.payload());
    } catch (IOException notOurs) {
      return;
    }
    long seq = reading.path("seq").asLong(-1);
    if (!tag.equals(reading.path("phase").asText()) || seq < 0 || seq > Integer.MAX_VALUE) {
      return;
    }
    BitSet leaf = seen.computeIfAbsent(message.deviceId(), id -> new BitSet());
    if (leaf.get((int) seq)) {
      duplicates++;
      return;
    }
    leaf.set((int) seq);
    if (arrived == enqueuedMillis.length) {
      enqueuedMillis = Arrays.copyOf(enqueuedMillis, enqueuedMillis.length * 2);
    }
    enqueuedMillis[(int) arrived] = message.enqueuedAt().toEpochMilli();
    arrived++;
    if (!edgeId.equals(message.gatewayId())) {
      notViaEdge++;
    }
    if (reading.path("temperature").asDouble() != SCALED_TEMPERATURE) {
      notTransformed++;
    }
    if (first == null || message.enqueuedAt().isBefore(first)) {
      first = message.enqueuedAt();
    }
    if (last == null || message.enqueuedAt().isAfter(last)) {
      last = message.enqueuedAt();
    }
  }

  /** Distinct messages of the phase (leaf and sequence number) found so far. */
  long arrived() {
    return arrived;
  }

  /** Messages found a second time (same leaf and sequence number). */
  long duplicates() {
    return duplicates;
  }

  /** Distinct arrivals the gateway enqueued from {@code start} (inclusive) to {@code end} (exclusive). */
  long arrivedWithin(Instant start, Instant end) {
    long from = start.toEpochMilli();
    long to = end.toEpochMilli();
    long n = 0;
    for (int i = 0; i < arrived; i++) {
      if (enqueuedMillis[i] >= from && enqueuedMillis[i] < to) {
        n++;
      }
    }
    return n;
  }

  /** Arrivals per second from the first arrival to the last; NaN with fewer than two distinct times. */
  double perSecond() {
    if (first == null || !last.isAfter(first)) {
      return Double.NaN;
    }
    return arrived / (Duration.between(first, last).toNanos() / 1e9);
  }

  /** Seconds from {@code start} to the first arrival. */
  double secondsToFirst(Instant start) {
    return first == null ? Double.NaN : Duration.between(start, first).toNanos() / 1e9;
  }

  /** Seconds from {@code start} to the last arrival. */
  double secondsToLast(Instant start) {
    return last == null ? Double.NaN : Duration.between(start, last).toNanos() / 1e9;
  }

  /** A sentence when something arrived that should not have, or not as the edge should have shaped it. */
  String problems() {
    StringBuilder text = new StringBuilder();
    if (duplicates > 0) {
      text.append(duplicates).append(" duplicates; ");
    }
    if (notViaEdge > 0) {
      text.append(notViaEdge).append(" not stored with gatewayId ").append(edgeId).append("; ");
    }
    if (notTransformed > 0) {
      text.append(notTransformed).append(" without the pipeline's scaling (temperature ≠ 21.5); ");
    }
    return text.isEmpty() ? "" : text.substring(0, text.length() - 2);
  }
}
