package io.gatehouse.edge.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.edge.alarm.AlarmEvent.Cleared;
import io.gatehouse.edge.alarm.AlarmEvent.Raised;
import io.gatehouse.edge.pipeline.ComparisonOp;
import io.gatehouse.edge.pipeline.Reading;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlarmEngineTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final ActuatorCommand CLOSE_VALVE = new ActuatorCommand("valve-1", "{\"open\":false}");

  private static AlarmRule overheat(String device, Duration holdFor, Duration clearAfter) {
    return new AlarmRule("overheat", device, "temperature", ComparisonOp.GREATER, 90.0, holdFor, clearAfter, CLOSE_VALVE);
  }

  private static Reading temperature(String device, Object value) {
    return new Reading(device, T0, Map.of("temperature", value));
  }

  private static Instant t(int seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void raisesAtOnceWithTheActuatorCommandAndOnlyOncePerEpisode() {
    AlarmEngine engine = new AlarmEngine(List.of(overheat("boiler-1", null, null)));

    List<AlarmEvent> events = engine.evaluate(temperature("boiler-1", 93.1), t(0));

    assertThat(events).containsExactly(new Raised(engine.rules().getFirst(), "boiler-1", 93.1, t(0), t(0)));
    assertThat(((Raised) events.getFirst()).command()).contains(CLOSE_VALVE);
    assertThat(engine.evaluate(temperature("boiler-1", 95.0), t(1))).isEmpty();
    assertThat(engine.evaluate(temperature("boiler-1", 99.0), t(2))).isEmpty();
    assertThat(engine.tick(t(60))).isEmpty();
  }

  @Test
  void clearsWhenTheConditionStopsAndRaisesAgainInANewEpisode() {
    AlarmEngine engine = new AlarmEngine(List.of(overheat("boiler-1", null, null)));
    engine.evaluate(temperature("boiler-1", 93.0), t(0));

    assertThat(engine.evaluate(temperature("boiler-1", 90.0), t(5)))
        .containsExactly(new Cleared(engine.rules().getFirst(), "boiler-1", 90.0, t(5), t(5)));
    assertThat(engine.evaluate(temperature("boiler-1", 80.0), t(6))).isEmpty();
    assertThat(engine.evaluate(temperature("boiler-1", 91.0), t(7))).singleElement().isInstanceOf(Raised.class);
  }

  @Test
  void raisesOnlyAfterTheConditionHeldForTheWholeDuration() {
    AlarmEngine engine = new AlarmEngine(List.of(overheat("boiler-1", Duration.ofSeconds(30), null)));

    assertThat(engine.evaluate(temperature("boiler-1", 95.0), t(0))).isEmpty();
    assertThat(engine.evaluate(temperature("boiler-1", 96.0), t(29))).isEmpty();
    assertThat(engine.evaluate(temperature("boiler-1", 97.0), t(30)))
        .containsExactly(new Raised(engine.rules().getFirst(), "boiler-1", 97.0, t(0), t(30)));
  }

  @Test
  void tickRaisesWhenTheDurationEndsWithoutANewReading() {
    AlarmEngine engine = new AlarmEngine(List.of(overheat("boiler-1", Duration.ofSeconds(30), null)));
    engine.evaluate(temperature("boiler-1", 95.0), t(0));
    engine.evaluate(temperature("boiler-1", 94.0), t(10));

    assertThat(engine.tick(t(29))).isEmpty();
    assertThat(engine.tick(t(30))).containsExactly(new Raised(engine.rules().getFirst(), "boiler-1", 94.0, t(0), t(30)));
    assertThat(engine.tick(t(31))).isEmpty();
  }

  @Test
  void aDipResetsTheDuration() {
    AlarmEngine engine = new AlarmEngine(List.of(overheat("boiler-1", Duration.ofSeconds(30), null)));
    engine.evaluate(temperature("boiler-1", 95.0), t(0));
    engine.evaluate(temperature("boiler-1", 85.0), t(20));
    engine.evaluate(temperature("boiler-1", 95.0), t(25));

    assertThat(engine.tick(t(30))).isEmpty();
    assertThat(engine.tick(t(54))).isEmpty();
    assertThat(engine.tick(t(55))).singleElement().satisfies(event -> assertThat(event.since()).isEqualTo(t(25)));
  }

  @Test
  void clearAfterWaitsForTheConditionToStayAwayAndAReturnKeepsTheSameEpisode() {
    AlarmEngine engine = new AlarmEngine(List.of(overheat("boiler-1", null, Duration.ofMinutes(1))));
    engine.evaluate(temperature("boiler-1", 95.0), t(0));

    assertThat(engine.evaluate(temperature("boiler-1", 85.0), t(10))).isEmpty();
    assertThat(engine.tick(t(40))).isEmpty();
    assertThat(engine.evaluate(temperature("boiler-1", 92.0), t(40))).as("back above: still the same alarm").isEmpty();
    assertThat(engine.evaluate(temperature("boiler-1", 80.0), t(50))).isEmpty();
    assertThat(engine.tick(t(69))).as("counted from the last time it stopped holding").isEmpty();
    assertThat(engine.evaluate(temperature("boiler-1", 79.0), t(100))).isEmpty();

    assertThat(engine.tick(t(110))).containsExactly(new Cleared(engine.rules().getFirst(), "boiler-1", 79.0, t(50), t(110)));
  }

  @Test
  void aReadingAfterClearAfterClearsWithoutATick() {
    AlarmEngine engine = new AlarmEngine(List.of(overheat("boiler-1", null, Duration.ofSeconds(10))));
    engine.evaluate(temperature("boiler-1", 95.0), t(0));
    engine.evaluate(temperature("boiler-1", 85.0), t(1));

    assertThat(engine.evaluate(temperature("boiler-1", 84.0), t(11))).singleElement().isInstanceOf(Cleared.class);
  }

  @Test
  void keepsStatePerDeviceForAnyDeviceRules() {
    AlarmEngine engine = new AlarmEngine(List.of(overheat(null, Duration.ofSeconds(10), null)));
    engine.evaluate(temperature("boiler-1", 95.0), t(0));
    engine.evaluate(temperature("boiler-2", 95.0), t(5));
    engine.evaluate(temperature("boiler-3", 50.0), t(5));

    assertThat(engine.tick(t(10))).extracting(AlarmEvent::deviceId).containsExactly("boiler-1");
    assertThat(engine.evaluate(temperature("boiler-2", 80.0), t(12))).as("boiler-2 dipped before its 10 s").isEmpty();
    assertThat(engine.tick(t(20))).isEmpty();
    assertThat(engine.evaluate(temperature("boiler-1", 80.0), t(21)))
        .singleElement().satisfies(event -> assertThat(event).isInstanceOf(Cleared.class).extracting(AlarmEvent::deviceId).isEqualTo("boiler-1"));
  }

  @Test
  void aDeviceRuleWatchesOnlyItsDeviceAndRunsBesideAnyDeviceRules() {
    AlarmRule boilerOnly = overheat("boiler-1", null, null);
    AlarmRule freezing = AlarmRule.immediate("freezing", null, "temperature", ComparisonOp.LESS, 0.0, null);
    AlarmRule anyHot = AlarmRule.immediate("hot-anywhere", null, "temperature", ComparisonOp.GREATER_OR_EQUAL, 90.0, null);
    AlarmEngine engine = new AlarmEngine(List.of(boilerOnly, freezing, anyHot));

    assertThat(engine.evaluate(temperature("boiler-2", 95.0), t(0))).extracting(event -> event.rule().name())
        .containsExactly("hot-anywhere");
    assertThat(engine.evaluate(temperature("boiler-1", 95.0), t(0))).extracting(event -> event.rule().name())
        .containsExactly("overheat", "hot-anywhere");
    assertThat(engine.evaluate(temperature("boiler-1", -1.0), t(1))).extracting(event -> event.rule().name() + ":" + event.state())
        .containsExactlyInAnyOrder("overheat:cleared", "hot-anywhere:cleared", "freezing:raised");
  }

  @Test
  void aReadingWithoutANumberForTheFieldChangesNothing() {
    AlarmEngine engine = new AlarmEngine(List.of(overheat("boiler-1", Duration.ofSeconds(10), null)));
    engine.evaluate(temperature("boiler-1", 95.0), t(0));

    assertThat(engine.evaluate(new Reading("boiler-1", T0, Map.of("humidity", 10.0)), t(5))).isEmpty();
    assertThat(engine.evaluate(temperature("boiler-1", "sensor fault"), t(6))).isEmpty();
    assertThat(engine.tick(t(10))).as("still pending since t0").singleElement().isInstanceOf(Raised.class);
  }

  @Test
  void aRaisedEventWithoutActionHasNoCommand() {
    AlarmEngine engine = new AlarmEngine(List.of(AlarmRule.immediate("hot", null, "temperature", ComparisonOp.GREATER, 90, null)));

    assertThat(engine.evaluate(temperature("boiler-1", 95.0), t(0))).singleElement()
        .satisfies(event -> assertThat(((Raised) event).command()).isEmpty());
  }

  @Test
  void rendersEventsForTheUplink() {
    AlarmEngine engine = new AlarmEngine(List.of(overheat("boiler-1", null, null)));

    AlarmEvent raised = engine.evaluate(temperature("boiler-1", 93.1), t(0)).getFirst();
    AlarmEvent cleared = engine.evaluate(temperature("boiler-1", 80.0), t(60)).getFirst();

    assertThat(new String(raised.toJson(), StandardCharsets.UTF_8)).isEqualTo("{\"alarm\":\"overheat\",\"device\":\"boiler-1\","
        + "\"state\":\"raised\",\"value\":93.1,\"since\":\"2024-05-01T10:00:00Z\",\"at\":\"2024-05-01T10:00:00Z\"}");
    assertThat(new String(cleared.toJson(), StandardCharsets.UTF_8)).contains("\"state\":\"cleared\"", "\"value\":80.0",
        "\"at\":\"2024-05-01T10:01:00Z\"");
  }

  @Test
  void refusesTwoRulesWithOneName() {
    assertThatThrownBy(() -> new AlarmEngine(List.of(overheat("boiler-1", null, null), overheat("boiler-2", null, null))))
        .hasMessageContaining("'overheat' is used twice");
  }
}
