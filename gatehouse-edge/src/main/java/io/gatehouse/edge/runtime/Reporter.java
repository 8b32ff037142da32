package io.gatehouse.edge.runtime;

import io.gatehouse.edge.uplink.PublishOutcome;
import io.gatehouse.edge.uplink.Uplink;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the edge's reports upstream: its posture right after every (re)connect and then every
 * {@code interval}, and the refused leaves gathered over each {@code refusalPeriod} (those go
 * through the priority buffer, so they survive an outage; a posture report is only worth sending
 * fresh, so it is not buffered).
 */
final class Reporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reporter.class);

  private final Uplink uplink;
  private final Supplier<byte[]> posture;
  private final RefusalReports refusals;
  private final UpstreamWriter writer;
  private final Duration interval;
  private final Duration refusalPeriod;
  private final InstantSource clock;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("gatehouse-edge-reports").daemon(true).factory());
  private long reportedAtConnect = -1;
  private Instant lastPosture = Instant.MIN;
  private Instant lastRefusals;

  Reporter(Uplink uplink, Supplier<byte[]> posture, RefusalReports refusals, UpstreamWriter writer, Duration interval,
      Duration refusalPeriod, InstantSource clock) {
    this.uplink = uplink;
    this.posture = posture;
    this.refusals = refusals;
    this.writer = writer;
    this.interval = interval;
    this.refusalPeriod = refusalPeriod;
    this.clock = clock;
    this.lastRefusals = clock.instant();
  }

  void start() {
    timer.scheduleWithFixedDelay(this::check, 200, 200, TimeUnit.MILLISECONDS);
  }

  private void check() {
    try {
      Instant now = clock.instant();
      if (!now.isBefore(lastRefusals.plus(refusalPeriod))) {
        lastRefusals = now;
        refusals.drain().ifPresent(json -> writer.event(UpstreamWriter.EdgeEvent.LEAF_REFUSED, json));
      }
      long connects = uplink.connects();
      boolean due = connects != reportedAtConnect || !now.isBefore(lastPosture.plus(interval));
      if (uplink.isConnected() && due) {
        reportedAtConnect = connects;
        lastPosture = now;
        uplink.publishReport(PostureReport.TOPIC, posture.get()).whenComplete((outcome, failure) -> {
          if (failure != null) {
            LOG.info("posture report not answered (uplink lost); the next one follows the reconnect");
          } else if (outcome instanceof PublishOutcome.Refused refused) {
            LOG.warn("posture report refused by the gateway code=0x{} reason=\"{}\"",
                Integer.toHexString(refused.reasonCode()), refused.reason());
          }
        });
      }
    } catch (RuntimeException e) {
      LOG.warn("edge report step failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
