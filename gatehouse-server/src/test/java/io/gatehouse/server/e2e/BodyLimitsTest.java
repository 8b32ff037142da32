package io.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.sas.SasSigner;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Device telemetry may be as large as Azure allows (256 KiB); the service API keeps its 64 KiB. */
class BodyLimitsTest {
  @TempDir Path data;

  @Test
  void deviceMessagesUpTo256KiBAreAcceptedWhileServiceCallsStayAt64KiB() throws Exception {
    try (GatewayFixture gw = new GatewayFixture(data)) {
      JsonNode device = Json.of(gw.asOperator("PUT", "/devices/big-sender", "{}"));
      String token = SasSigner.token(GatewayFixture.HOST + "/devices/big-sender",
          Base64.getDecoder().decode(device.get("primaryKey").asText()), Instant.now().plusSeconds(600), null);
      byte[] payload = new byte[200 * 1024];
      Arrays.fill(payload, (byte) 'x');

      HttpResponse<String> accepted = post(gw, "/devices/big-sender/messages/events", token,
          HttpRequest.BodyPublishers.ofByteArray(payload));
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(204);
      assertThat(gw.gateway().telemetry().read(1, 10)).anySatisfy(m -> assertThat(m.payload()).hasSize(payload.length));

      byte[] tooBig = new byte[300 * 1024];
      assertThat(post(gw, "/devices/big-sender/messages/events", token,
          HttpRequest.BodyPublishers.ofByteArray(tooBig)).statusCode()).isEqualTo(413);

      String serviceBody = "{\"tags\":{\"k\":\"" + "y".repeat(100 * 1024) + "\"}}";
      assertThat(gw.asOperator("PUT", "/devices/too-big", serviceBody).statusCode()).isEqualTo(413);
      // Chunked (no Content-Length): counted as it arrives, refused at the service limit all the same.
      HttpResponse<String> chunked = post(gw, "/devices/too-big-chunked", GatewayFixture.serviceToken(
          gw.operatorCredential(), Instant.now().plusSeconds(600)), HttpRequest.BodyPublishers.ofInputStream(
              () -> new ByteArrayInputStream(serviceBody.getBytes())), "PUT");
      assertThat(chunked.statusCode()).isEqualTo(413);
    }
  }

  private static HttpResponse<String> post(GatewayFixture gw, String path, String token,
      HttpRequest.BodyPublisher body, String... method) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(gw.uri(path)).timeout(Duration.ofSeconds(20))
        .header("Authorization", token).header("Content-Type", "application/octet-stream")
        .method(method.length > 0 ? method[0] : "POST", body).build();
    return java.net.http.HttpClient.newBuilder().sslContext(GatewayFixture.trusting(gw.dataDirectory().resolve("ca.pem")))
        .build().send(request, HttpResponse.BodyHandlers.ofString());
  }
}
