package io.gatehouse.edge.pipeline;

import java.util.List;
import java.util.Objects;

/** What leaves the pipeline for the uplink: one reading, or a batch of readings of one or more devices. */
public sealed interface Upstream {

  /** The readings carried, in order. */
  List<Reading> readings();

  /** The uplink JSON. */
  byte[] toJson();

  /** One reading, sent as its fields plus {@code "ts"}: {@code {"ts":"2024-05-01T10:00:00Z","temperature":21.5}}. */
  record Single(Reading reading) implements Upstream {
    public Single {
      Objects.requireNonNull(reading, "reading");
    }

    @Override
    public List<Reading> readings() {
      return List.of(reading);
    }

    @Override
    public byte[] toJson() {
      return ReadingJson.render(generator -> {
        generator.writeStartObject();
        generator.writeStringField("ts", reading.time().toString());
        ReadingJson.writeFields(generator, reading.fields());
        generator.writeEndObject();
      });
    }
  }

  /** Several readings sent at once: {@code {"batch":[{"device":"…","ts":"…",…fields}…]}}. */
  record Batch(List<Reading> readings) implements Upstream {
    public Batch {
      readings = List.copyOf(readings);
      if (readings.isEmpty()) {
        throw new IllegalArgumentException("a batch needs at least one reading");
      }
    }

    @Override
    public byte[] toJson() {
      return ReadingJson.render(generator -> {
        generator.writeStartObject();
        generator.writeArrayFieldStart("batch");
        for (Reading reading : readings) {
          generator.writeStartObject();
          generator.writeStringField("device", reading.deviceId());
          generator.writeStringField("ts", reading.time().toString());
          ReadingJson.writeFields(generator, reading.fields());
          generator.writeEndObject();
        }
        generator.writeEndArray();
        generator.writeEndObject();
      });
    }
  }
}
