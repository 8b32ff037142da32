package io.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.message.TelemetryMessage;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /telemetry/stream} over real TLS: Server-Sent Events of messages appended after the
 * stream started, resuming with {@code Last-Event-ID}, the start positions, scoping, and the end of
 * a stream (client gone, identity disabled, gateway closed) with no producer thread left behind.
 */
class TelemetryStreamTest {
  private static final String STREAM = "/telemetry/stream";

  @RegisterExtension static final GatewayFixture gw = GatewayFixture.perTestClass();
  static DocumentedAnswers doc;

  @BeforeAll
  static void documented() throws Exception {
    doc = new DocumentedAnswers(gw);
  }

  @AfterEach
  void noStreamOutlivesItsTest() {
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(EventStreamClient.streamProducers()).as("stream producer threads").isEmpty());
  }

  @Test
  void newMessagesArriveAsEventsAndAResumedStreamGoesOnAfterTheLastEventId() throws Exception {
    List<EventStreamClient.Event> firstThree;
    try (EventStreamClient stream = EventStreamClient.open(gw, operator(), STREAM)) {
      HttpResponse<?> head = stream.response;
      assertThat(head.headers().firstValue("Content-Type")).hasValue("text/event-stream");
      assertThat(doc.contentTypes("GET", STREAM, 200)).containsExactly("text/event-stream");
      assertThat(head.headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(head.headers().firstValue("Content-Length")).isEmpty();
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThat(EventStreamClient.streamProducers()).hasSize(1));

      TelemetryMessage one = append("e-1", "one");
      append("e-1", "two");
      append("e-2", "three");
      firstThree = stream.next(3);
      EventStreamClient.Event first = firstThree.get(0);
      assertThat(first.id()).isEqualTo(Long.toString(one.sequence()));
      assertThat(first.event()).isEqualTo("telemetry");
      JsonNode message = first.json();
      doc.conformsToSchema("stream event", message, "TelemetryMessage");
      assertThat(message.path("sequence").asLong()).isEqualTo(one.sequence());
      assertThat(message.path("deviceId").asText()).isEqualTo("e-1");
      assertThat(message.path("payload").asText()).isEqualTo("one");
      assertThat(firstThree).extracting(e -> e.json().path("payload").asText()).containsExactly("one", "two", "three");
    }
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(EventStreamClient.streamProducers()).as("the producer of a stream whose client went away").isEmpty());

    append("e-1", "four");
    append("e-2", "five");
    try (EventStreamClient resumed = EventStreamClient.open(gw, operator(), STREAM, "Last-Event-ID",
        firstThree.get(1).id())) {
      assertThat(resumed.next(3)).extracting(e -> e.json().path("payload").asText())
          .containsExactly("three", "four", "five");
    }
  }

  @Test
  void aStreamStartsAtFromFromTimeOrTheConsumerGroupsPosition() throws Exception {
    TelemetryMessage a = append("f-1", "a");
    Instant last = a.enqueuedAt();
    await().atMost(Duration.ofSeconds(2)).until(() -> Instant.now().toEpochMilli() > last.toEpochMilli());
    TelemetryMessage b = append("f-1", "b");
    append("f-1", "c");

    try (EventStreamClient fromSequence = EventStreamClient.open(gw, operator(), STREAM + "?device=f-1&from="
        + a.sequence())) {
      assertThat(fromSequence.next(3)).extracting(e -> e.json().path("payload").asText())
          .containsExactly("a", "b", "c");
    }
    String time = URLEncoder.encode(b.enqueuedAt().toString(), StandardCharsets.UTF_8);
    try (EventStreamClient fromTime = EventStreamClient.open(gw, operator(), STREAM + "?device=f-1&fromTime=" + time)) {
      assertThat(fromTime.next(2)).extracting(e -> e.json().path("payload").asText()).containsExactly("b", "c");
    }
    assertThat(gw.asOperator("PUT", "/telemetry/consumer-groups/f-group", "{\"next\":" + (b.sequence() + 1) + "}")
        .statusCode()).isEqualTo(200);
    try (EventStreamClient group = EventStreamClient.open(gw, operator(), STREAM
        + "?device=f-1&consumerGroup=f-group")) {
      assertThat(group.next().json().path("payload").asText()).isEqualTo("c");
    }
    try (EventStreamClient newGroup = EventStreamClient.open(gw, operator(), STREAM
        + "?device=f-1&consumerGroup=f-new")) {
      append("f-1", "d");
      assertThat(newGroup.next().json().path("payload").asText())
          .as("a group that never committed starts at the end").isEqualTo("d");
    }
  }

  @Test
  void aScopedReaderStreamsOnlyCoveredDevicesAndItsStreamEndsWhenItIsDisabled() throws Exception {
    gw.asOperator("PUT", "/devices/sc-in", "{\"tags\":{\"zone\":\"z1\"}}");
    gw.asOperator("PUT", "/devices/sc-out", "{\"tags\":{\"zone\":\"z2\"}}");
    HttpResponse<String> created = gw.asOperator("PUT", "/services/sc-reader",
        "{\"permissions\":[{\"permission\":\"telemetry.read\",\"tags\":{\"zone\":\"z1\"}}]}");
    String reader = GatewayFixture.serviceToken(Json.of(created).path("connectionString").asText(),
        Instant.now().plusSeconds(600));

    HttpResponse<String> refused = gw.send("GET", STREAM + "?device=sc-out", null, reader);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    doc.verify("GET", STREAM, refused);

    try (EventStreamClient stream = EventStreamClient.open(gw, reader, STREAM)) {
      append("sc-out", "hidden");
      append("sc-in", "shown-1");
      append("sc-out", "hidden");
      append("sc-in", "shown-2");
      assertThat(stream.next(2)).extracting(e -> e.json().path("payload").asText())
          .containsExactly("shown-1", "shown-2");
      assertThat(stream.pending()).isZero();

      assertThat(gw.asOperator("POST", "/services/sc-reader/disable", null).statusCode()).isEqualTo(200);
      assertThat(stream.endedWithin(Duration.ofSeconds(10))).as("the stream of a disabled identity ends").isTrue();
    }
  }

  @Test
  void closingTheGatewayEndsOpenStreamsAndTheirProducers(@TempDir Path own) throws Exception {
    try (GatewayFixture closing = new GatewayFixture(own)) {
      String token = GatewayFixture.serviceToken(closing.operatorCredential(), Instant.now().plusSeconds(600));
      try (EventStreamClient one = EventStreamClient.open(closing, token, STREAM);
           EventStreamClient two = EventStreamClient.open(closing, token, STREAM + "?from=1")) {
        closing.gateway().telemetry().append(new TelemetryMessage(0, "c-1", null, Instant.now(), null,
            "last".getBytes(StandardCharsets.UTF_8))).join();
        assertThat(one.next().json().path("payload").asText()).isEqualTo("last");
        assertThat(two.next().json().path("payload").asText()).isEqualTo("last");
        assertThat(EventStreamClient.streamProducers()).hasSize(2);

        closing.gateway().close();

        assertThat(EventStreamClient.streamProducers()).as("close() waits for the producers").isEmpty();
        assertThat(one.endedWithin(Duration.ofSeconds(5))).isTrue();
        assertThat(two.endedWithin(Duration.ofSeconds(5))).isTrue();
      }
    }
  }

  private static String operator() throws Exception {
    return GatewayFixture.serviceToken(gw.operatorCredential(), Instant.now().plusSeconds(600));
  }

  private static TelemetryMessage append(String deviceId, String payload) {
    return gw.gateway().telemetry().append(new TelemetryMessage(0, deviceId, null, Instant.now(), null,
        payload.getBytes(StandardCharsets.UTF_8))).join();
  }
}
