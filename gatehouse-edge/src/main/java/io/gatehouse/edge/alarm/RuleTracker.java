package io.gatehouse.edge.alarm;

import io.gatehouse.edge.pipeline.ComparisonOp;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The episodes of one rule, per device. A device without an entry is quiet; an entry is pending
 * (holding, not yet for long enough), active (raised), or clearing (raised, stopped holding, waiting
 * for {@code clear-after}). A device's last value is taken to hold until its next reading.
 */
final class RuleTracker {
  private final AlarmRule rule;
  private final ComparisonOp op;
  private final double threshold;
  private final Duration holdFor;
  private final Duration clearAfter;
  private final Map<String, Episode> episodes = new LinkedHashMap<>();

  private sealed interface Episode {}

  private record Pending(Instant since, double lastValue) implements Episode {}

  private record Active(Instant since) implements Episode {}

  private record Clearing(Instant raisedSince, Instant stoppedAt, double lastValue) implements Episode {}

  RuleTracker(AlarmRule rule) {
    this.rule = rule;
    this.op = rule.op();
    this.threshold = rule.threshold();
    this.holdFor = rule.holdFor();
    this.clearAfter = rule.clearAfter();
  }

  AlarmRule rule() {
    return rule;
  }

  String field() {
    return rule.field();
  }

  void evaluate(String deviceId, double value, Instant now, List<AlarmEvent> out) {
    boolean holds = op.test(value, threshold);
    switch (episodes.get(deviceId)) {
      case null -> {
        if (holds) {
          startHolding(deviceId, value, now, out);
        }
      }
      case Pending pending -> {
        if (!holds) {
          episodes.remove(deviceId); // a dip resets: the condition must hold without a break
        } else if (isDue(pending.since(), holdFor, now)) {
          raise(deviceId, value, pending.since(), now, out);
        } else {
          episodes.put(deviceId, new Pending(pending.since(), value));
        }
      }
      case Active active -> {
        if (!holds) {
          stopHolding(deviceId, active.since(), value, now, out);
        }
      }
      case Clearing clearing -> {
        if (holds) {
          episodes.put(deviceId, new Active(clearing.raisedSince())); // same episode: no second Raised
        } else if (isDue(clearing.stoppedAt(), clearAfter, now)) {
          clear(deviceId, value, clearing.stoppedAt(), now, out);
        } else {
          episodes.put(deviceId, new Clearing(clearing.raisedSince(), clearing.stoppedAt(), value));
        }
      }
    }
  }

  void tick(Instant now, List<AlarmEvent> out) {
    for (Iterator<Map.Entry<String, Episode>> entries = episodes.entrySet().iterator(); entries.hasNext(); ) {
      Map.Entry<String, Episode> entry = entries.next();
      switch (entry.getValue()) {
        case Pending pending when isDue(pending.since(), holdFor, now) -> {
          entry.setValue(new Active(pending.since()));
          out.add(new AlarmEvent.Raised(rule, entry.getKey(), pending.lastValue(), pending.since(), now));
        }
        case Clearing clearing when isDue(clearing.stoppedAt(), clearAfter, now) -> {
          entries.remove();
          out.add(new AlarmEvent.Cleared(rule, entry.getKey(), clearing.lastValue(), clearing.stoppedAt(), now));
        }
        default -> { }
      }
    }
  }

  private void startHolding(String deviceId, double value, Instant now, List<AlarmEvent> out) {
    if (holdFor.isZero()) {
      raise(deviceId, value, now, now, out);
    } else {
      episodes.put(deviceId, new Pending(now, value));
    }
  }

  private void stopHolding(String deviceId, Instant raisedSince, double value, Instant now, List<AlarmEvent> out) {
    if (clearAfter.isZero()) {
      clear(deviceId, value, now, now, out);
    } else {
      episodes.put(deviceId, new Clearing(raisedSince, now, value));
    }
  }

  private void raise(String deviceId, double value, Instant since, Instant now, List<AlarmEvent> out) {
    episodes.put(deviceId, new Active(since));
    out.add(new AlarmEvent.Raised(rule, deviceId, value, since, now));
  }

  private void clear(String deviceId, double value, Instant stoppedAt, Instant now, List<AlarmEvent> out) {
    episodes.remove(deviceId);
    out.add(new AlarmEvent.Cleared(rule, deviceId, value, stoppedAt, now));
  }

  private static boolean isDue(Instant from, Duration wait, Instant now) {
    return !now.isBefore(from.plus(wait));
  }
}
