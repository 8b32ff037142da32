package io.gatehouse.edge.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregates each device's readings over tumbling windows aligned to the epoch, by reading time;
 * see {@link WindowSpec}. A window is emitted when {@link #tick} reaches its end, or as soon as a
 * reading of the same device for a later window arrives.
 *
 * <p>A late reading, one for a window of its device that was already emitted or is older than the
 * open one, is dropped and counted in {@link #lateReadings()}. Values that are not numbers are not
 * counted. A window in which no configured field had a number emits nothing.
 */
public final class WindowStage implements Stage {
  static final int MAX_REMEMBERED_DEVICES = 10_000;

  private final long sizeMillis;
  private final List<String> fields;
  private final Map<String, WindowAggregate> open = new LinkedHashMap<>();
  /** Per device, the end of the last emitted window; bounded, as forgetting only weakens late-reading detection. */
  private final Map<String, Long> emittedUntil = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > MAX_REMEMBERED_DEVICES;
    }
  };
  private long lateReadings;

  public WindowStage(WindowSpec spec) {
    this.sizeMillis = spec.seconds() * 1000L;
    this.fields = spec.fields();
  }

  @Override
  public List<Upstream> accept(Upstream item) {
    List<Upstream> out = new ArrayList<>(1);
    for (Reading reading : item.readings()) {
      add(reading, out);
    }
    return out;
  }

  private void add(Reading reading, List<Upstream> out) {
    long start = Math.floorDiv(reading.time().toEpochMilli(), sizeMillis) * sizeMillis;
    WindowAggregate current = open.get(reading.deviceId());
    if (current != null && start > current.start()) {
      close(reading.deviceId(), current, out);
      current = null;
    }
    if ((current != null && start < current.start()) || start < emittedUntil.getOrDefault(reading.deviceId(), Long.MIN_VALUE)) {
      lateReadings++;
      return;
    }
    if (current == null) {
      current = new WindowAggregate(reading.deviceId(), start, fields);
      open.put(reading.deviceId(), current);
    }
    current.add(reading);
  }

  @Override
  public List<Upstream> tick(Instant now) {
    List<Upstream> out = new ArrayList<>();
    long nowMillis = now.toEpochMilli();
    for (Iterator<WindowAggregate> windows = open.values().iterator(); windows.hasNext(); ) {
      WindowAggregate window = windows.next();
      if (window.start() + sizeMillis <= nowMillis) {
        windows.remove();
        emit(window, out);
      }
    }
    return out;
  }

  /** Emits the open windows unfinished: at shutdown a partial aggregate beats none. */
  @Override
  public List<Upstream> flush() {
    List<Upstream> out = new ArrayList<>();
    open.values().forEach(window -> emit(window, out));
    open.clear();
    return out;
  }

  public long lateReadings() {
    return lateReadings;
  }

  private void close(String deviceId, WindowAggregate window, List<Upstream> out) {
    open.remove(deviceId);
    emit(window, out);
  }

  private void emit(WindowAggregate window, List<Upstream> out) {
    emittedUntil.put(window.deviceId(), window.start() + sizeMillis);
    window.toReading().ifPresent(reading -> out.add(new Upstream.Single(reading)));
  }
}
