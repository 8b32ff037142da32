package io.gatehouse.edge.alarm;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.gatehouse.core.identity.IdentityIds;
import io.gatehouse.edge.pipeline.ComparisonOp;
import io.gatehouse.edge.pipeline.DurationText;
import io.gatehouse.edge.pipeline.Reading;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * One entry of the edge config's {@code alarms:} list: a numeric condition on one field of one leaf
 * (or of every leaf), and what to actuate when it holds.
 *
 * <pre>{@code
 * - name: overheat            # required, unique: 1-64 letters, digits, _ - .
 *   device: boiler-1          # optional; leave out to watch every leaf
 *   field: temperature        # required
 *   op: ">"                   # required: > >= < <= == != (quoted in YAML), or gt ge lt le eq ne
 *   threshold: 90             # required number
 *   for: 30s                  # optional, default 0: how long the condition must hold without a break
 *   clear-after: 1m           # optional, default 0: how long it must stop holding before the alarm clears
 *   action:                   # optional: sent to a local actuator leaf when the alarm is raised
 *     device: valve-1
 *     payload: '{"open":false}'
 * }</pre>
 */
public record AlarmRule(String name, String device, String field, ComparisonOp op, Double threshold,
    @JsonProperty("for") @JsonDeserialize(using = DurationText.Deserializer.class) Duration holdFor,
    @JsonProperty("clear-after") @JsonDeserialize(using = DurationText.Deserializer.class) Duration clearAfter,
    ActuatorCommand action) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  public AlarmRule {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("alarm: 'name' is " + (name == null ? "missing" : "'" + name + "'")
          + "; give 1 to 64 letters, digits, '_', '-' or '.', e.g. name: overheat");
    }
    String rule = "alarm '" + name + "': ";
    if (device != null) {
      try {
        IdentityIds.requireValid("device", device);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(rule + e.getMessage());
      }
    }
    if (field == null) {
      throw new IllegalArgumentException(rule + "'field' is required; name the reading field to watch, e.g. field: temperature");
    }
    try {
      Reading.requireValidFieldName(field);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(rule + e.getMessage());
    }
    if (op == null) {
      throw new IllegalArgumentException(rule + "'op' is required; use one of > >= < <= == !=");
    }
    if (threshold == null || !Double.isFinite(threshold)) {
      throw new IllegalArgumentException(rule + "'threshold' is required and must be a finite number, e.g. threshold: 90");
    }
    holdFor = holdFor == null ? Duration.ZERO : holdFor;
    clearAfter = clearAfter == null ? Duration.ZERO : clearAfter;
  }

  /** Convenience for code and tests: a rule that acts at once and clears at once. */
  public static AlarmRule immediate(String name, String device, String field, ComparisonOp op, double threshold,
      ActuatorCommand action) {
    return new AlarmRule(name, device, field, op, threshold, Duration.ZERO, Duration.ZERO, action);
  }

  public boolean watchesEveryDevice() {
    return device == null;
  }
}
