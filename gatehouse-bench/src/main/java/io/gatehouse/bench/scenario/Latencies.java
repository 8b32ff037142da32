package io.gatehouse.bench.scenario;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** A latency histogram, recorded in microseconds from any thread, read in milliseconds. */
public final class Latencies {
  private static final long MAX_MICROS = 600_000_000L; // 10 minutes

  private final Histogram histogram = new ConcurrentHistogram(MAX_MICROS, 3);

  public void recordNanos(long nanos) {
    histogram.recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1_000)));
  }

  public long count() {
    return histogram.getTotalCount();
  }

  public double percentileMs(double percentile) {
    return count() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1_000.0;
  }

  public double maxMs() {
    return count() == 0 ? Double.NaN : histogram.getMaxValue() / 1_000.0;
  }

  public double meanMs() {
    return count() == 0 ? Double.NaN : histogram.getMean() / 1_000.0;
  }
}
