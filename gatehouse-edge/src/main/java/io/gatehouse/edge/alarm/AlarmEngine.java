package io.gatehouse.edge.alarm;

import io.gatehouse.edge.pipeline.Reading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches readings against the alarm rules, per device, and reports each episode once: one
 * {@link AlarmEvent.Raised} when a condition has held for its {@code for}, one
 * {@link AlarmEvent.Cleared} when it stopped holding (for its {@code clear-after}).
 *
 * <p>Evaluating a reading looks up the rules of its device, then per rule one field lookup and one
 * comparison; the edge actuates on the result, so nothing here may block. A missing field, or one
 * that is not a number, leaves the rule's state as it was. {@link #tick} raises and clears what
 * became due without a new reading. Not thread-safe: drive it from one thread.
 */
public final class AlarmEngine {
  private final List<RuleTracker> everyDevice;
  private final Map<String, List<RuleTracker>> byDevice;
  private final List<RuleTracker> all;

  public AlarmEngine(List<AlarmRule> rules) {
    AlarmRules.requireUniqueNames(rules);
    List<RuleTracker> every = new ArrayList<>();
    Map<String, List<RuleTracker>> perDevice = new HashMap<>();
    List<RuleTracker> trackers = new ArrayList<>();
    for (AlarmRule rule : rules) {
      RuleTracker tracker = new RuleTracker(rule);
      trackers.add(tracker);
      if (rule.watchesEveryDevice()) {
        every.add(tracker);
      } else {
        perDevice.computeIfAbsent(rule.device(), device -> new ArrayList<>()).add(tracker);
      }
    }
    this.everyDevice = List.copyOf(every);
    perDevice.replaceAll((device, deviceTrackers) -> List.copyOf(deviceTrackers));
    this.byDevice = Map.copyOf(perDevice);
    this.all = List.copyOf(trackers);
  }

  public List<AlarmRule> rules() {
    return all.stream().map(RuleTracker::rule).toList();
  }

  /** The events this reading causes, judged at {@code now} (the edge's clock, not the leaf's). */
  public List<AlarmEvent> evaluate(Reading reading, Instant now) {
    List<AlarmEvent> events = new ArrayList<>(1);
    evaluate(byDevice.getOrDefault(reading.deviceId(), List.of()), reading, now, events);
    evaluate(everyDevice, reading, now, events);
    return events;
  }

  /** Raises what has now held for its {@code for}, and clears what has now been quiet for its {@code clear-after}. */
  public List<AlarmEvent> tick(Instant now) {
    List<AlarmEvent> events = new ArrayList<>(0);
    for (RuleTracker tracker : all) {
      tracker.tick(now, events);
    }
    return events;
  }

  private static void evaluate(List<RuleTracker> trackers, Reading reading, Instant now, List<AlarmEvent> events) {
    for (RuleTracker tracker : trackers) {
      if (reading.fields().get(tracker.field()) instanceof Double value) {
        tracker.evaluate(reading.deviceId(), value, now, events);
      }
    }
  }
}
