package io.gatehouse.server.mqtt;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of refusals per reason, shared by every connection of one server; thread-safe. */
public final class MqttRefusals {
  private final EnumMap<MqttRefusal, LongAdder> counters = new EnumMap<>(MqttRefusal.class);

  MqttRefusals() {
    for (MqttRefusal reason : MqttRefusal.values()) {
      counters.put(reason, new LongAdder());
    }
  }

  void increment(MqttRefusal reason) {
    counters.get(reason).increment();
  }

  public long count(MqttRefusal reason) {
    return counters.get(reason).sum();
  }

  /** Every reason with its count so far, in declaration order. */
  public Map<MqttRefusal, Long> snapshot() {
    EnumMap<MqttRefusal, Long> copy = new EnumMap<>(MqttRefusal.class);
    counters.forEach((reason, counter) -> copy.put(reason, counter.sum()));
    return Collections.unmodifiableMap(copy);
  }
}
