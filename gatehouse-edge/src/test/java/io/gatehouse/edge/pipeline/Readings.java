package io.gatehouse.edge.pipeline;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Short ways to write test readings. */
final class Readings {
  static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  private Readings() {}

  static Reading reading(String device, Instant time, Object... namesAndValues) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return new Reading(device, time, fields);
  }

  static Reading at(int secondsAfterT0, Object... namesAndValues) {
    return reading("leaf-1", T0.plusSeconds(secondsAfterT0), namesAndValues);
  }

  static List<Reading> readingsOf(List<Upstream> outputs) {
    return outputs.stream().flatMap(output -> output.readings().stream()).toList();
  }
}
