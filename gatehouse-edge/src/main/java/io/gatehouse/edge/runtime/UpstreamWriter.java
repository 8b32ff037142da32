package io.gatehouse.edge.runtime;

import io.gatehouse.edge.alarm.AlarmEvent;
import io.gatehouse.edge.buffer.BufferedMessage;
import io.gatehouse.edge.buffer.ForwardBuffer;
import io.gatehouse.edge.pipeline.Reading;
import io.gatehouse.edge.pipeline.Upstream;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Turns what the pipeline and the alarm rules produce into messages in the store-and-forward
 * buffers. Readings go to the telemetry buffer, each as its own device's message, so the service
 * gateway checks every device against the edge's allow-list: a batch holding several devices is
 * split into one batch per device. Alarm events and the edge's own reports go to the priority
 * buffer, which is forwarded beside (not behind) the telemetry backlog.
 */
final class UpstreamWriter {
  /** Azure's property-bag names for content type and encoding. */
  static final Map<String, String> JSON = Map.of("$.ct", "application/json", "$.ce", "utf-8");
  static final String EVENT_PROPERTY = "gatehouse-event";

  private final String edgeId;
  private final ForwardBuffer telemetry;
  private final ForwardBuffer priority;
  private final InstantSource clock;

  UpstreamWriter(String edgeId, ForwardBuffer telemetry, ForwardBuffer priority, InstantSource clock) {
    this.edgeId = edgeId;
    this.telemetry = telemetry;
    this.priority = priority;
    this.clock = clock;
  }

  /** Completes once every message is durable in the buffer. */
  CompletableFuture<Void> readings(List<Upstream> items) {
    if (items.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<CompletableFuture<Long>> appends = new ArrayList<>();
    for (Upstream item : items) {
      switch (item) {
        case Upstream.Single single -> appends.add(append(single.reading().deviceId(), single.toJson()));
        case Upstream.Batch batch -> byDevice(batch.readings()).forEach((device, readings) ->
            appends.add(append(device, new Upstream.Batch(readings).toJson())));
      }
    }
    return CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new));
  }

  /** The alarm change as the edge's own message, marked {@code gatehouse-event=alarm}. */
  CompletableFuture<Long> alarm(AlarmEvent event) {
    return event(EdgeEvent.ALARM, event.toJson());
  }

  CompletableFuture<Long> event(EdgeEvent kind, byte[] json) {
    Map<String, String> properties = new LinkedHashMap<>(JSON);
    properties.put(EVENT_PROPERTY, kind.wireName());
    return priority.append(new BufferedMessage(edgeId, properties, json, clock.instant()));
  }

  private CompletableFuture<Long> append(String deviceId, byte[] json) {
    return telemetry.append(new BufferedMessage(deviceId, JSON, json, clock.instant()));
  }

  private static Map<String, List<Reading>> byDevice(List<Reading> readings) {
    Map<String, List<Reading>> groups = new LinkedHashMap<>();
    for (Reading reading : readings) {
      groups.computeIfAbsent(reading.deviceId(), id -> new ArrayList<>()).add(reading);
    }
    return groups;
  }

  /** The kinds of message the edge sends as itself. */
  enum EdgeEvent {
    ALARM("alarm"),
    LEAF_REFUSED("leaf-refused");

    private final String wireName;

    EdgeEvent(String wireName) {
      this.wireName = wireName;
    }

    String wireName() {
      return wireName;
    }
  }
}
