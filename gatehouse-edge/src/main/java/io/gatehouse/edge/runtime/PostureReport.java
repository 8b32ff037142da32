package io.gatehouse.edge.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.edge.buffer.BufferStats;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the edge tells the service gateway about itself every few minutes, so an operator (and later
 * the certification report) sees how each field gateway is exposed: what it listens on, with which
 * credential it connects, how far behind its buffer is, and what it had to drop. Published as JSON on
 * {@code $gatehouse/edge/posture}.
 *
 * @param listeners each enabled adapter's name and the addresses it is bound to
 */
record PostureReport(String version, Instant startedAt, Instant reportedAt, String credentialKind,
    Map<String, List<InetSocketAddress>> listeners, int leavesConfigured, int leavesConnected, int leavesAsking,
    BufferStats telemetry, BufferStats priority, long uplinkConnects, long uplinkFailures, long refusedLeaves,
    long forwarded, long refusedUpstream) {

  static final String TOPIC = "$gatehouse/edge/posture";

  byte[] toJson(ObjectMapper json) {
    ObjectNode root = json.createObjectNode();
    root.put("version", version).put("startedAt", startedAt.toString()).put("reportedAt", reportedAt.toString())
        .put("uptimeSeconds", Duration.between(startedAt, reportedAt).toSeconds()).put("credentialKind", credentialKind);
    var list = root.putArray("listeners");
    listeners.forEach((adapter, addresses) -> {
      var entry = list.addObject().put("adapter", adapter);
      var bound = entry.putArray("addresses");
      addresses.forEach(a -> bound.add(a.getAddress().getHostAddress() + ":" + a.getPort()));
    });
    root.putObject("leaves").put("configured", leavesConfigured).put("connected", leavesConnected)
        .put("askingForCommands", leavesAsking).put("refusedSinceStart", refusedLeaves);
    ObjectNode buffer = root.putObject("buffer").put("messages", telemetry.depthMessages() + priority.depthMessages())
        .put("bytes", telemetry.depthBytes() + priority.depthBytes())
        .put("oldestAgeSeconds", telemetry.oldestCreatedAt() == null ? 0
            : Math.max(0, Duration.between(telemetry.oldestCreatedAt(), reportedAt).toSeconds()))
        .put("dropped", dropped(telemetry) + dropped(priority))
        .put("lastDroppedSequence", telemetry.lastDroppedSequence());
    buffer.put("droppedForSpace", telemetry.droppedForSpace() + priority.droppedForSpace())
        .put("droppedForAge", telemetry.droppedForAge() + priority.droppedForAge())
        .put("droppedCorrupt", telemetry.droppedCorrupt() + priority.droppedCorrupt());
    root.putObject("uplink").put("connects", uplinkConnects).put("failures", uplinkFailures).put("forwarded", forwarded)
        .put("refusedUpstream", refusedUpstream);
    try {
      return json.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the posture report", e);
    }
  }

  private static long dropped(BufferStats stats) {
    return stats.droppedForSpace() + stats.droppedForAge() + stats.droppedCorrupt();
  }
}
