package io.gatehouse.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.bench.target.EdgeLeaves;
import io.gatehouse.bench.target.TelemetryPage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrivalTallyTest {
  private static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");
  private final EdgeLeaves leaves = EdgeLeaves.create("bench-edge", 2);

  @Test
  void countsEachLeafAndSequenceOnceAndReportsTheRestAsDuplicates() throws Exception {
    List<TelemetryPage.Message> log = new ArrayList<>();
    log.add(stored(1, "leaf-00000", "rate", 0, 0));
    log.add(stored(2, "leaf-00001", "rate", 0, 100)); // same sequence number, other leaf: distinct
    log.add(stored(3, "leaf-00000", "rate", 1, 200));
    log.add(stored(4, "leaf-00000", "rate", 0, 300)); // again
    ArrivalTally tally = new ArrivalTally("rate", leaves);

    assertThat(tally.await(pagesOf(log, 2), 3, Duration.ofSeconds(5))).isTrue();

    assertThat(tally.arrived()).isEqualTo(3);
    assertThat(tally.duplicates()).isEqualTo(1);
    assertThat(tally.problems()).isEqualTo("1 duplicates");
    assertThat(tally.perSecond()).isEqualTo(15.0); // 3 arrivals from 0 to 200 ms
    assertThat(tally.secondsToFirst(T0.minusSeconds(1))).isEqualTo(1.0);
    assertThat(tally.secondsToLast(T0)).isEqualTo(0.2);
    assertThat(tally.arrivedWithin(T0, T0.plusMillis(200))).isEqualTo(2);
  }

  @Test
  void ignoresOtherPhasesOtherDevicesAndPayloadsThatAreNotReadings() throws Exception {
    List<TelemetryPage.Message> log = new ArrayList<>();
    log.add(stored(1, "leaf-00000", "warm", 0, 0));
    log.add(stored(2, "bench-00000", "rate", 0, 0));
    log.add(new TelemetryPage.Message(3, "leaf-00000", "bench-edge", T0, "not json"));
    log.add(new TelemetryPage.Message(4, "leaf-00000", "bench-edge", T0, null));
    log.add(stored(5, "leaf-00001", "rate", 7, 50));
    ArrivalTally tally = new ArrivalTally("rate", leaves);

    assertThat(tally.await(pagesOf(log, 10), 1, Duration.ofSeconds(5))).isTrue();

    assertThat(tally.arrived()).isEqualTo(1);
    assertThat(tally.problems()).isEmpty();
  }

  @Test
  void namesMessagesThatDidNotComeThroughTheEdgeOrItsPipeline() throws Exception {
    List<TelemetryPage.Message> log = List.of(
        new TelemetryPage.Message(1, "leaf-00000", "other-edge", T0,
            "{\"phase\":\"rate\",\"seq\":0,\"temperature\":21.5}"),
        new TelemetryPage.Message(2, "leaf-00000", "bench-edge", T0,
            "{\"phase\":\"rate\",\"seq\":1,\"temperature\":215}"));
    ArrivalTally tally = new ArrivalTally("rate", leaves);

    tally.await(pagesOf(log, 10), 2, Duration.ofSeconds(5));

    assertThat(tally.problems()).contains("1 not stored with gatewayId bench-edge").contains("1 without the pipeline");
  }

  @Test
  void givesUpAtTheLimitWhenMessagesAreMissing() throws Exception {
    ArrivalTally tally = new ArrivalTally("rate", leaves);

    assertThat(tally.await(pagesOf(List.of(stored(1, "leaf-00000", "rate", 0, 0)), 10), 2, Duration.ofMillis(300)))
        .isFalse();
    assertThat(tally.arrived()).isEqualTo(1);
  }

  @Test
  void aReadingIsTheRequestedSizeAndCarriesItsPhaseAndSequence() {
    String reading = new String(LeafLoad.reading("drain", 12_345, 128), StandardCharsets.US_ASCII);

    assertThat(reading).hasSize(128).startsWith("{\"phase\":\"drain\",\"seq\":12345,\"temperature\":215,")
        .endsWith("\"}");
  }

  /** A stored reading as the edge forwards it: temperature scaled by the pipeline, gatewayId the edge. */
  private static TelemetryPage.Message stored(long sequence, String device, String phase, long seq, long atMillis) {
    return new TelemetryPage.Message(sequence, device, "bench-edge", T0.plusMillis(atMillis),
        "{\"ts\":\"" + T0 + "\",\"phase\":\"" + phase + "\",\"seq\":" + seq + ",\"temperature\":21.5,\"pad\":\"x\"}");
  }

  /** The log served in pages of {@code size}, from the cursor (null: the start), as GET /telemetry does. */
  private static ArrivalTally.LogReader pagesOf(List<TelemetryPage.Message> log, int size) {
    return cursor -> {
      long from = cursor == null ? 1 : cursor;
      List<TelemetryPage.Message> page = log.stream().filter(m -> m.sequence() >= from).limit(size).toList();
      boolean more = !page.isEmpty() && log.stream().anyMatch(m -> m.sequence() > page.getLast().sequence());
      return new TelemetryPage(page, more);
    };
  }
}
