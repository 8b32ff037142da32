package io.gatehouse.edge.alarm;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A change of an alarm of one device, reported upstream as
 * {@code {"alarm":"overheat","device":"boiler-1","state":"raised","value":93.1,"since":"…","at":"…"}}.
 */
public sealed interface AlarmEvent {
  AlarmRule rule();

  String deviceId();

  /** The reading value that caused the change. */
  double value();

  /** When the condition began to hold (raised) or stopped holding (cleared). */
  Instant since();

  /** When the change was decided. */
  Instant at();

  /** {@code raised} or {@code cleared}, as in the uplink JSON. */
  String state();

  default byte[] toJson() {
    return AlarmJson.render(this);
  }

  /** The condition held long enough; {@link #command()} is what to actuate now. */
  record Raised(AlarmRule rule, String deviceId, double value, Instant since, Instant at) implements AlarmEvent {
    public Raised {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(deviceId, "deviceId");
    }

    public Optional<ActuatorCommand> command() {
      return Optional.ofNullable(rule.action());
    }

    @Override
    public String state() {
      return "raised";
    }
  }

  /** The condition stopped holding (for {@code clear-after}, if set). */
  record Cleared(AlarmRule rule, String deviceId, double value, Instant since, Instant at) implements AlarmEvent {
    public Cleared {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(deviceId, "deviceId");
    }

    @Override
    public String state() {
      return "cleared";
    }
  }
}
