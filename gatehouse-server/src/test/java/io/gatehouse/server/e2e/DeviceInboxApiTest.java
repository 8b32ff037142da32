package io.gatehouse.server.e2e;

import static io.gatehouse.server.e2e.DeviceApiClient.header;
import static io.gatehouse.server.e2e.DeviceApiClient.text;
import static io.gatehouse.server.e2e.DeviceApiClient.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cloud-to-device messages over the Azure IoT Hub HTTPS device protocol: a service sends through
 * the service API, the device pulls, completes, rejects and abandons with the requests the Java and
 * C SDKs send (their spellings of the path, the ETag and the reject flag differ).
 */
class DeviceInboxApiTest {
  private static final String RECEIVE = "/devices/{id}/messages/deviceBound";
  private static final String SETTLE = "/devices/{id}/messages/deviceBound/{etag}";
  private static final String ABANDON = "/devices/{id}/messages/deviceBound/{etag}/abandon";

  @RegisterExtension static final DeviceApiClient api = DeviceApiClient.perTestClass();

  @Test
  void receiveCarriesThePropertiesAndCompleteEmptiesTheInbox() throws Exception {
    String token = token("c2d-1", api.register("c2d-1"));
    send("c2d-1", "{\"payload\":\"hello\",\"messageId\":\"m-1\",\"correlationId\":\"c-1\",\"contentType\":\"text/plain\","
        + "\"contentEncoding\":\"utf-8\",\"properties\":{\"k\":\"v\",\"temp\u00e9rature\":\"21 \u00b0C\"},"
        + "\"ttlSeconds\":600,\"ack\":\"full\"}");

    HttpResponse<byte[]> received = device("GET", "/devices/c2d-1/messages/deviceBound?api-version=2020-09-30", token,
        "iothub-messagelocktimeout", "180");

    assertThat(received.statusCode()).as(text(received)).isEqualTo(200);
    api.documented("GET", RECEIVE, received);
    assertThat(new String(received.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
    String etag = received.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).matches("\"[A-Za-z0-9_-]+\"");
    assertThat(header(received, "iothub-messageid")).isEqualTo("m-1");
    assertThat(header(received, "iothub-correlationid")).isEqualTo("c-1");
    assertThat(header(received, "iothub-to")).isEqualTo("/devices/c2d-1/messages/deviceBound");
    assertThat(header(received, "iothub-contenttype")).isEqualTo("text/plain");
    assertThat(header(received, "ContentType")).isEqualTo("text/plain");
    assertThat(header(received, "iothub-contentencoding")).isEqualTo("utf-8");
    assertThat(header(received, "ContentEncoding")).isEqualTo("utf-8");
    assertThat(header(received, "iothub-app-k")).isEqualTo("v");
    assertThat(header(received, "iothub-app-temp%C3%A9rature")).as("non-ASCII is percent-encoded")
        .isEqualTo("21 %C2%B0C");
    assertThat(Long.parseLong(header(received, "iothub-sequencenumber"))).isPositive();
    assertThat(Instant.parse(header(received, "iothub-expiry")))
        .isAfter(Instant.parse(header(received, "iothub-enqueuedtime")));
    assertThat(header(received, "iothub-deliverycount")).isEqualTo("1");
    assertThat(header(received, "iothub-ack")).isEqualTo("full");

    // Java: unquoted etag in the path and in If-Match
    String lock = etag.substring(1, etag.length() - 1);
    HttpResponse<byte[]> completed = device("DELETE", "/devices/c2d-1/messages/devicebound/" + lock
        + "?api-version=2020-09-30", token, "If-Match", lock);
    assertThat(completed.statusCode()).as(text(completed)).isEqualTo(204);
    api.documented("DELETE", SETTLE, completed);

    HttpResponse<byte[]> empty = device("GET", "/devices/c2d-1/messages/devicebound", token);
    assertThat(empty.statusCode()).as(text(empty)).isEqualTo(204);
    api.documented("GET", RECEIVE, empty);

    HttpResponse<byte[]> stale = device("DELETE", "/devices/c2d-1/messages/deviceBound/" + lock, token);
    assertThat(stale.statusCode()).as(text(stale)).isEqualTo(412);
    api.documented("DELETE", SETTLE, stale);
    HttpResponse<byte[]> staleAbandon = device("POST", "/devices/c2d-1/messages/deviceBound/" + lock + "/abandon",
        token);
    assertThat(staleAbandon.statusCode()).as(text(staleAbandon)).isEqualTo(412);
    api.documented("POST", ABANDON, staleAbandon);
  }

  @Test
  void bothRejectSpellingsRejectAndAbandonRedelivers() throws Exception {
    String token = token("c2d-2", api.register("c2d-2"));
    for (String id : new String[] {"r-java", "r-c", "a-1"}) {
      send("c2d-2", "{\"payload\":\"" + id + "\",\"messageId\":\"" + id + "\",\"ack\":\"full\"}");
    }

    // Java: lowercase path, unquoted etag, the mis-encoded "%3Freject=true"
    HttpResponse<byte[]> first = device("GET", "/devices/c2d-2/messages/devicebound?api-version=2020-09-30", token);
    assertThat(header(first, "iothub-messageid")).isEqualTo("r-java");
    HttpResponse<byte[]> javaReject = device("DELETE", "/devices/c2d-2/messages/devicebound/" + lock(first)
        + "?api-version=2020-09-30&%3Freject=true", token, "If-Match", lock(first));
    assertThat(javaReject.statusCode()).as(text(javaReject)).isEqualTo(204);

    // C: the quoted etag in the path, a bare "&reject"
    HttpResponse<byte[]> second = device("GET", "/devices/c2d-2/messages/deviceBound?api-version=2016-11-14", token);
    assertThat(header(second, "iothub-messageid")).isEqualTo("r-c");
    HttpResponse<byte[]> cReject = device("DELETE", "/devices/c2d-2/messages/deviceBound/%22" + lock(second)
        + "%22?api-version=2016-11-14&reject", token, "If-Match", "\"" + lock(second) + "\"");
    assertThat(cReject.statusCode()).as(text(cReject)).isEqualTo(204);
    api.documented("DELETE", SETTLE, cReject);

    HttpResponse<byte[]> third = device("GET", "/devices/c2d-2/messages/deviceBound", token);
    assertThat(header(third, "iothub-messageid")).isEqualTo("a-1");
    assertThat(header(third, "iothub-deliverycount")).isEqualTo("1");
    HttpResponse<byte[]> abandoned = api.call("POST",
        "/devices/c2d-2/messages/deviceBound/" + lock(third) + "/abandon?api-version=2020-09-30", new byte[] {0},
        "Authorization", token);
    assertThat(abandoned.statusCode()).as(text(abandoned)).isEqualTo(204);
    api.documented("POST", ABANDON, abandoned);

    HttpResponse<byte[]> again = device("GET", "/devices/c2d-2/messages/deviceBound", token);
    assertThat(header(again, "iothub-messageid")).as("the abandoned message comes back").isEqualTo("a-1");
    assertThat(header(again, "iothub-deliverycount")).isEqualTo("2");
    assertThat(lock(again)).isNotEqualTo(lock(third));
    assertThat(device("DELETE", "/devices/c2d-2/messages/deviceBound/" + lock(again), token).statusCode())
        .isEqualTo(204);
    assertThat(device("GET", "/devices/c2d-2/messages/deviceBound", token).statusCode()).isEqualTo(204);

    HttpResponse<String> feedback = api.gw.asOperator("GET", "/messages/feedback?from=1&limit=100",
        null);
    assertThat(feedback.statusCode()).as(feedback.body()).isEqualTo(200);
    JsonNode items = Json.of(feedback).path("items");
    assertThat(items).filteredOn(f -> f.path("originalMessageId").asText().startsWith("r-"))
        .extracting(f -> f.path("originalMessageId").asText() + ":" + f.path("statusCode").asText())
        .containsExactlyInAnyOrder("r-java:Rejected", "r-c:Rejected");
    assertThat(items).filteredOn(f -> f.path("originalMessageId").asText().equals("a-1"))
        .extracting(f -> f.path("statusCode").asText()).containsExactly("Success");
  }

  @Test
  void anotherDevicesLockIsNotSettledAndItsInboxNotRead() throws Exception {
    String owner = token("c2d-own", api.register("c2d-own"));
    String thief = token("c2d-thief", api.register("c2d-thief"));
    send("c2d-own", "{\"payload\":\"secret\"}");
    HttpResponse<byte[]> received = device("GET", "/devices/c2d-own/messages/deviceBound", owner);

    HttpResponse<byte[]> onItsOwnPath = device("DELETE", "/devices/c2d-thief/messages/deviceBound/" + lock(received),
        thief);
    HttpResponse<byte[]> onTheOwnersPath = device("DELETE", "/devices/c2d-own/messages/deviceBound/" + lock(received),
        thief);

    assertThat(onItsOwnPath.statusCode()).as("a lock is only valid in its device's inbox").isEqualTo(412);
    assertThat(onTheOwnersPath.statusCode()).isEqualTo(403);
    api.documented("DELETE", SETTLE, onTheOwnersPath);
    assertThat(device("DELETE", "/devices/c2d-own/messages/deviceBound/" + lock(received), owner).statusCode())
        .isEqualTo(204);
  }

  private static void send(String deviceId, String body) throws Exception {
    HttpResponse<String> sent = api.gw.asOperator("POST", "/devices/" + deviceId
        + "/messages/devicebound", body);
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
  }

  private static HttpResponse<byte[]> device(String method, String path, String token, String... headers)
      throws Exception {
    String[] all = new String[headers.length + 2];
    all[0] = "Authorization";
    all[1] = token;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return api.call(method, path, null, all);
  }

  private static String lock(HttpResponse<byte[]> received) {
    assertThat(received.statusCode()).as(text(received)).isEqualTo(200);
    String etag = header(received, "ETag");
    return etag.substring(1, etag.length() - 1);
  }
}
