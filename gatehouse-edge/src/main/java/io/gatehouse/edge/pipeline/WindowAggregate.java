package io.gatehouse.edge.pipeline;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The running min, max, sum and count of one device's fields in one open window. */
final class WindowAggregate {
  private final String deviceId;
  private final long start;
  private final List<String> fields;
  private final double[] min;
  private final double[] max;
  private final double[] sum;
  private final long[] count;

  WindowAggregate(String deviceId, long start, List<String> fields) {
    this.deviceId = deviceId;
    this.start = start;
    this.fields = fields;
    this.min = new double[fields.size()];
    this.max = new double[fields.size()];
    this.sum = new double[fields.size()];
    this.count = new long[fields.size()];
  }

  String deviceId() {
    return deviceId;
  }

  long start() {
    return start;
  }

  void add(Reading reading) {
    for (int i = 0; i < fields.size(); i++) {
      if (reading.fields().get(fields.get(i)) instanceof Double value) {
        min[i] = count[i] == 0 ? value : Math.min(min[i], value);
        max[i] = count[i] == 0 ? value : Math.max(max[i], value);
        sum[i] += value;
        count[i]++;
      }
    }
  }

  /** One reading stamped with the window start, or empty when no field had a value. */
  Optional<Reading> toReading() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < fields.size(); i++) {
      if (count[i] > 0) {
        String field = fields.get(i);
        out.put(field + "_min", min[i]);
        out.put(field + "_max", max[i]);
        out.put(field + "_avg", sum[i] / count[i]);
        out.put(field + "_count", (double) count[i]);
      }
    }
    return out.isEmpty() ? Optional.empty() : Optional.of(new Reading(deviceId, Instant.ofEpochMilli(start), out));
  }
}
