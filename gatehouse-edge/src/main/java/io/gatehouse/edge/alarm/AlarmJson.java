package io.gatehouse.edge.alarm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes alarm events in the uplink's JSON shape. */
final class AlarmJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private AlarmJson() {}

  static byte[] render(AlarmEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(160);
    try (JsonGenerator generator = FACTORY.createGenerator(out)) {
      generator.writeStartObject();
      generator.writeStringField("alarm", event.rule().name());
      generator.writeStringField("device", event.deviceId());
      generator.writeStringField("state", event.state());
      generator.writeNumberField("value", event.value());
      generator.writeStringField("since", event.since().toString());
      generator.writeStringField("at", event.at().toString());
      generator.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory failed", e);
    }
    return out.toByteArray();
  }
}
