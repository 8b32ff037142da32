package io.gatehouse.edge.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leaves the edge refused (unknown id, wrong secret), gathered so that they can be reported
 * upstream as one event per period instead of one per attempt: a device hammering the LAN endpoint
 * cannot flood the uplink. At most {@link #MAX_DISTINCT} distinct (adapter, client id, address)
 * entries are kept per period; attempts beyond that are only counted.
 */
final class RefusalReports {
  private static final Logger LOG = LoggerFactory.getLogger(RefusalReports.class);
  static final int MAX_DISTINCT = 100;
  private static final int MAX_CLIENT_ID = 128;

  private record Key(String adapter, String clientId, String address) {}

  private static final class Tally {
    final String reason;
    final Instant first;
    Instant last;
    long count;

    Tally(String reason, Instant first) {
      this.reason = reason;
      this.first = first;
      this.last = first;
    }
  }

  private final ObjectMapper json = new ObjectMapper();
  private final InstantSource clock;
  private final AtomicLong total = new AtomicLong();
  private Map<Key, Tally> period = new LinkedHashMap<>();
  private long overflow;

  RefusalReports(InstantSource clock) {
    this.clock = clock;
  }

  synchronized void record(String adapter, String clientId, String reason, InetSocketAddress from) {
    total.incrementAndGet();
    String id = clientId == null ? "" : clientId.length() > MAX_CLIENT_ID ? clientId.substring(0, MAX_CLIENT_ID) : clientId;
    Key key = new Key(adapter, id, from == null ? "" : from.getAddress().getHostAddress());
    Tally tally = period.get(key);
    if (tally == null) {
      if (period.size() >= MAX_DISTINCT) {
        overflow++;
        return;
      }
      LOG.warn("leaf refused adapter={} clientId=\"{}\" from={} reason=\"{}\"", adapter, id, key.address(), reason);
      tally = new Tally(reason, clock.instant());
      period.put(key, tally);
    }
    tally.count++;
    tally.last = clock.instant();
  }

  /** Refusals since the edge started, for the posture report. */
  long total() {
    return total.get();
  }

  /**
   * The period's refusals as {@code {"event":"leaf-refused","refusals":[{adapter, clientId, from,
   * reason, count, first, last}…],"notListed":n}}, and starts a new period; empty if there were none.
   */
  synchronized Optional<byte[]> drain() {
    if (period.isEmpty() && overflow == 0) {
      return Optional.empty();
    }
    ObjectNode event = json.createObjectNode().put("event", "leaf-refused");
    ArrayNode list = event.putArray("refusals");
    period.forEach((key, tally) -> list.addObject().put("adapter", key.adapter()).put("clientId", key.clientId())
        .put("from", key.address()).put("reason", tally.reason).put("count", tally.count)
        .put("first", tally.first.toString()).put("last", tally.last.toString()));
    event.put("notListed", overflow);
    period = new LinkedHashMap<>();
    overflow = 0;
    try {
      return Optional.of(json.writeValueAsBytes(event));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render the refusal report", e);
    }
  }
}
