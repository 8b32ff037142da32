package io.gatehouse.edge.local.coap;

import static io.gatehouse.edge.local.coap.EdgeUnderTest.LEAF;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.error.LimitExceededException;
import io.gatehouse.edge.local.coap.LeafClient.Exchange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** POST /telemetry from a real Californium leaf over DTLS PSK on loopback. */
class CoapTelemetryTest {
  private final EdgeUnderTest edge = new EdgeUnderTest(c -> c.withMaxPayloadBytes(256));

  @AfterEach
  void tearDown() {
    edge.close();
  }

  @Test
  void telemetryReachesTheSinkAsTheAuthenticatedLeafWithItsContentType() throws Exception {
    Response response = edge.leaf(LEAF).post("/telemetry", "{\"t\":21.5}", MediaTypeRegistry.APPLICATION_JSON)
        .response();

    assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
    assertThat(edge.sink.accepted).singleElement().satisfies(m -> {
      assertThat(m.leafId()).isEqualTo(LEAF);
      assertThat(m.text()).isEqualTo("{\"t\":21.5}");
      assertThat(m.properties()).containsExactlyEntriesOf(java.util.Map.of("content-type", "application/json"));
    });
    assertThat(edge.sink.presence).startsWith("connected:" + LEAF);
  }

  @Test
  void withoutContentFormatTheMessageHasNoContentType() throws Exception {
    Response response = edge.leaf(LEAF).post("/telemetry", "21.5", -1).response();

    assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
    assertThat(edge.sink.accepted).singleElement().satisfies(m -> assertThat(m.properties()).isEmpty());
  }

  @Test
  void theLeafIdComesFromTheHandshakeNeverFromTheUri() throws Exception {
    LeafClient leaf = edge.leaf(EdgeUnderTest.OTHER_LEAF);

    assertThat(leaf.post("/telemetry?leaf=leaf-1", "x", -1).response().getCode()).isEqualTo(ResponseCode.CHANGED);
    assertThat(leaf.post("/leaf-1/telemetry", "x", -1).response().getCode()).isEqualTo(ResponseCode.NOT_FOUND);
    assertThat(edge.sink.accepted).singleElement().satisfies(m -> assertThat(m.leafId()).isEqualTo("leaf-2"));
  }

  @Test
  void changedIsSentOnlyOnceTheSinkHoldsTheMessage() throws Exception {
    edge.sink.holdAcceptance();
    Exchange post = edge.leaf(LEAF).post("/telemetry", "{\"t\":1}", MediaTypeRegistry.APPLICATION_JSON);
    CompletableFuture<Void> durable = edge.sink.nextHeld();

    // The edge ACKs the request on its own (so the leaf stops resending) but does not answer yet.
    post.acknowledged.get(5, TimeUnit.SECONDS);
    assertThat(post.response).isNotDone();
    durable.complete(null);

    assertThat(post.response().getCode()).isEqualTo(ResponseCode.CHANGED);
    assertThat(edge.sink.accepted).hasSize(1);
  }

  @Test
  void aFullBufferIsServiceUnavailableWithATimeToRetry() throws Exception {
    edge.sink.holdAcceptance();
    Exchange post = edge.leaf(LEAF).post("/telemetry", "{\"t\":1}", MediaTypeRegistry.APPLICATION_JSON);
    edge.sink.nextHeld().completeExceptionally(new LimitExceededException("buffer full"));

    Response response = post.response();
    assertThat(response.getCode()).isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
    assertThat(response.getOptions().getMaxAge()).isEqualTo(TelemetryResource.RETRY_AFTER_SECONDS);
    assertThat(response.getPayloadString()).contains("buffer is full");
  }

  @Test
  void anyOtherSinkFailureIsAnInternalServerError() throws Exception {
    edge.sink.holdAcceptance();
    Exchange post = edge.leaf(LEAF).post("/telemetry", "{\"t\":1}", MediaTypeRegistry.APPLICATION_JSON);
    edge.sink.nextHeld().completeExceptionally(new IllegalStateException("disk gone"));

    Response response = post.response();
    assertThat(response.getCode()).isEqualTo(ResponseCode.INTERNAL_SERVER_ERROR);
    assertThat(response.getPayloadString()).contains("could not store").doesNotContain("disk gone");
  }

  @Test
  void anOversizedPayloadIsRefusedWithItsLimitAndNeverReachesTheSink() throws Exception {
    Response response = edge.leaf(LEAF).post("/telemetry", "x".repeat(400), -1).response();

    assertThat(response.getCode()).isEqualTo(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
    assertThat(response.getOptions().getSize1()).isEqualTo(256);
    assertThat(edge.sink.accepted).isEmpty();
  }

  @Test
  void aBlockwiseUploadBeyondTheLimitIsRefusedToo() throws Exception {
    // 1500 bytes exceed the client's message size, so Californium sends them block by block.
    Response response = edge.leaf(LEAF).post("/telemetry", "x".repeat(1500), -1).response();

    assertThat(response.getCode()).isEqualTo(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
    assertThat(edge.sink.accepted).isEmpty();
  }

  @Test
  void anEmptyPayloadIsABadRequest() throws Exception {
    Response response = edge.leaf(LEAF).post("/telemetry", new byte[0], -1).response();

    assertThat(response.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
    assertThat(edge.sink.accepted).isEmpty();
  }

  @Test
  void otherMethodsAreNotAllowedAndOtherPathsNotFound() throws Exception {
    LeafClient leaf = edge.leaf(LEAF);

    assertThat(leaf.request(Code.GET, "/telemetry").response().getCode()).isEqualTo(ResponseCode.METHOD_NOT_ALLOWED);
    assertThat(leaf.request(Code.PUT, "/telemetry").response().getCode()).isEqualTo(ResponseCode.METHOD_NOT_ALLOWED);
    assertThat(leaf.request(Code.POST, "/commands").response().getCode()).isEqualTo(ResponseCode.METHOD_NOT_ALLOWED);
    assertThat(leaf.request(Code.GET, "/").response().getCode()).isEqualTo(ResponseCode.NOT_FOUND);
    assertThat(leaf.request(Code.GET, "/.well-known/core").response().getCode()).isEqualTo(ResponseCode.NOT_FOUND);
    assertThat(leaf.request(Code.POST, "/telemetry/more").response().getCode()).isEqualTo(ResponseCode.NOT_FOUND);
  }

  @Test
  void noCaliforniumPropertiesFileIsWrittenToTheWorkingDirectory() throws Exception {
    edge.leaf(LEAF).post("/telemetry", "1", -1).response();

    assertThat(Files.exists(Path.of("Californium3.properties"))).isFalse();
    assertThat(Files.exists(Path.of("Californium.properties"))).isFalse();
  }
}
