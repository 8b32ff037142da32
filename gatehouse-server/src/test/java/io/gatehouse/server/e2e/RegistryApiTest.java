package io.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.sas.SasToken;
import io.gatehouse.core.sas.SasVerifier;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The device registry over real HTTPS, as an operator uses it. */
class RegistryApiTest {
  @RegisterExtension static final GatewayFixture gw = GatewayFixture.perTestClass();

  @Test
  void createShowsKeysOnceAndGetNeverDoes() throws Exception {
    HttpResponse<String> created = gw.asOperator("PUT", "/devices/thermo-1", "{\"tags\":{\"site\":\"plant-7\"}}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode body = Json.of(created);
    assertThat(body.get("deviceId").asText()).isEqualTo("thermo-1");
    assertThat(body.get("primaryKey").asText()).isNotBlank();
    assertThat(body.get("connectionString").asText())
        .isEqualTo("HostName=gatehouse.test;DeviceId=thermo-1;SharedAccessKey=" + body.get("primaryKey").asText());
    assertThat(Base64.getDecoder().decode(body.get("primaryKey").asText())).hasSize(32);
    assertThat(created.headers().firstValue("ETag")).contains("\"" + body.get("etag").asText() + "\"");

    HttpResponse<String> read = gw.asOperator("GET", "/devices/thermo-1", null);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).doesNotContain(body.get("primaryKey").asText()).doesNotContain("primaryKey");
    assertThat(Json.of(read).at("/tags/site").asText()).isEqualTo("plant-7");
    assertThat(Json.of(read).at("/authentication/type").asText()).isEqualTo("sas");
  }

  @Test
  void duplicateCreateIsAConflict() throws Exception {
    assertThat(gw.asOperator("PUT", "/devices/dup-1", "{}").statusCode()).isEqualTo(201);
    HttpResponse<String> again = gw.asOperator("PUT", "/devices/dup-1", "{}");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(Json.of(again).get("detail").asText()).contains("dup-1");
  }

  @Test
  void replaceNeedsTheCurrentEtag() throws Exception {
    String etag = Json.of(gw.asOperator("PUT", "/devices/etag-1", "{}")).get("etag").asText();
    HttpResponse<String> stale = gw.asOperator("PUT", "/devices/etag-1", "{\"tags\":{\"a\":\"1\"}}", "If-Match", "\"nope\"");
    assertThat(stale.statusCode()).isEqualTo(412);
    HttpResponse<String> fresh = gw.asOperator("PUT", "/devices/etag-1", "{\"tags\":{\"a\":\"1\"}}", "If-Match", "\"" + etag + "\"");
    assertThat(fresh.statusCode()).isEqualTo(200);
    assertThat(Json.of(fresh).get("etag").asText()).isNotEqualTo(etag);
    assertThat(Json.of(fresh).at("/tags/a").asText()).isEqualTo("1");
  }

  @Test
  void concurrentUpdatesWithTheSameEtagLetExactlyOneWin() throws Exception {
    String etag = Json.of(gw.asOperator("PUT", "/devices/race-1", "{}")).get("etag").asText();
    int writers = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String body = "{\"tags\":{\"writer\":\"" + i + "\"}}";
        results.add(pool.submit(() -> {
          go.await();
          return gw.asOperator("PUT", "/devices/race-1", body, "If-Match", etag).statusCode();
        }));
      }
      go.countDown();
      List<Integer> codes = new ArrayList<>();
      for (Future<Integer> f : results) {
        codes.add(f.get());
      }
      assertThat(codes).filteredOn(c -> c == 200).hasSize(1);
      assertThat(codes).filteredOn(c -> c == 412).hasSize(writers - 1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void listPagesAndFilters() throws Exception {
    gw.asOperator("PUT", "/devices/gw-east", "{\"kind\":\"edge\"}");
    for (int i = 0; i < 5; i++) {
      gw.asOperator("PUT", "/devices/leaf-" + i, "{\"parentId\":\"gw-east\",\"tags\":{\"zone\":\"" + (i % 2) + "\"}}");
    }
    JsonNode first = Json.of(gw.asOperator("GET", "/devices?parent=gw-east&pageSize=2", null));
    assertThat(first.get("items")).hasSize(2);
    assertThat(first.get("items").get(0).get("deviceId").asText()).isEqualTo("leaf-0");
    String token = first.get("continuationToken").asText();
    List<String> all = new ArrayList<>(List.of("leaf-0", "leaf-1"));
    while (token != null) {
      JsonNode page = Json.of(gw.asOperator("GET", "/devices?parent=gw-east&pageSize=2&continuationToken=" + token, null));
      page.get("items").forEach(d -> all.add(d.get("deviceId").asText()));
      token = page.hasNonNull("continuationToken") ? page.get("continuationToken").asText() : null;
    }
    assertThat(all).containsExactly("leaf-0", "leaf-1", "leaf-2", "leaf-3", "leaf-4");
    JsonNode zone1 = Json.of(gw.asOperator("GET", "/devices?tag=zone:1", null));
    assertThat(zone1.get("items")).extracting(d -> d.get("deviceId").asText()).containsExactly("leaf-1", "leaf-3");
    JsonNode edges = Json.of(gw.asOperator("GET", "/devices?kind=edge", null));
    assertThat(edges.get("items")).extracting(d -> d.get("deviceId").asText()).contains("gw-east").doesNotContain("leaf-0");
  }

  @Test
  void parentsMustBeFieldGatewaysAndKeepTheirChildren() throws Exception {
    gw.asOperator("PUT", "/devices/plain-1", "{}");
    HttpResponse<String> notEdge = gw.asOperator("PUT", "/devices/child-x", "{\"parentId\":\"plain-1\"}");
    assertThat(notEdge.statusCode()).isEqualTo(400);
    assertThat(Json.of(notEdge).get("detail").asText()).contains("not a field gateway");
    assertThat(gw.asOperator("PUT", "/devices/child-y", "{\"parentId\":\"ghost\"}").statusCode()).isEqualTo(400);

    gw.asOperator("PUT", "/devices/gw-west", "{\"kind\":\"edge\"}");
    gw.asOperator("PUT", "/devices/child-z", "{\"parentId\":\"gw-west\"}");
    HttpResponse<String> delete = gw.asOperator("DELETE", "/devices/gw-west", null);
    assertThat(delete.statusCode()).isEqualTo(409);
    assertThat(Json.of(delete).get("detail").asText()).contains("1 device(s) name it as parent");
    assertThat(gw.asOperator("DELETE", "/devices/child-z", null).statusCode()).isEqualTo(204);
    assertThat(gw.asOperator("DELETE", "/devices/gw-west", null).statusCode()).isEqualTo(204);
    assertThat(gw.asOperator("GET", "/devices/gw-west", null).statusCode()).isEqualTo(404);
  }

  @Test
  void statusChangesAreRecorded() throws Exception {
    gw.asOperator("PUT", "/devices/status-1", "{}");
    JsonNode disabled = Json.of(gw.asOperator("POST", "/devices/status-1/quarantine", "{\"reason\":\"tamper switch\"}"));
    assertThat(disabled.get("status").asText()).isEqualTo("quarantined");
    assertThat(disabled.get("statusReason").asText()).isEqualTo("tamper switch");
    assertThat(Json.of(gw.asOperator("POST", "/devices/status-1/enable", null)).get("status").asText()).isEqualTo("enabled");
  }

  @Test
  void rotationKeepsTheOldPrimaryValidAsSecondary() throws Exception {
    JsonNode created = Json.of(gw.asOperator("PUT", "/devices/rot-1", "{}"));
    JsonNode rotated = Json.of(gw.asOperator("POST", "/devices/rot-1/keys/regenerate", "{\"key\":\"rotate\"}"));
    assertThat(rotated.get("secondaryKey").asText()).isEqualTo(created.get("primaryKey").asText());
    assertThat(rotated.get("primaryKey").asText()).isNotEqualTo(created.get("primaryKey").asText());
    JsonNode cs = Json.of(gw.asOperator("GET", "/devices/rot-1/connection-string?key=secondary", null));
    assertThat(cs.get("connectionString").asText()).endsWith(created.get("primaryKey").asText());
  }

  @Test
  void issuedDeviceTokenVerifiesForThatDeviceOnly() throws Exception {
    JsonNode created = Json.of(gw.asOperator("PUT", "/devices/tok-1", "{}"));
    JsonNode issued = Json.of(gw.asOperator("POST", "/devices/tok-1/token", "{\"ttlSeconds\":600}"));
    SasToken token = SasToken.parse(issued.get("token").asText());
    byte[] key = Base64.getDecoder().decode(created.get("primaryKey").asText());
    SasVerifier verifier = new SasVerifier(Clock.systemUTC());
    assertThat(verifier.verify(token, "gatehouse.test/devices/tok-1", List.of(key))).isZero();
    assertThat(token.keyNameIfAny()).isEmpty();
    HttpResponse<String> tooLong = gw.asOperator("POST", "/devices/tok-1/token", "{\"ttlSeconds\":99999999999}");
    assertThat(tooLong.statusCode()).isEqualTo(400);
  }

  @Test
  void x509DevicesCarryThumbprintsAndNoKeys() throws Exception {
    String thumb = "ab".repeat(32);
    HttpResponse<String> created = gw.asOperator("PUT", "/devices/cert-1",
        "{\"authentication\":{\"type\":\"x509-thumbprint\",\"primaryThumbprint\":\"" + thumb.toUpperCase() + "\"}}");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(Json.of(created).has("primaryKey")).isFalse();
    assertThat(Json.of(created).at("/authentication/primaryThumbprint").asText()).isEqualTo(thumb);
    HttpResponse<String> noKeys = gw.asOperator("GET", "/devices/cert-1/connection-string", null);
    assertThat(noKeys.statusCode()).isEqualTo(409);
  }

  @Test
  void identitiesSurviveARestart() throws Exception {
    JsonNode created = Json.of(gw.asOperator("PUT", "/devices/persist-1", "{\"tags\":{\"k\":\"v\"}}"));
    gw.restart();
    JsonNode read = Json.of(gw.asOperator("GET", "/devices/persist-1", null));
    assertThat(read.get("etag").asText()).isEqualTo(created.get("etag").asText());
    JsonNode cs = Json.of(gw.asOperator("GET", "/devices/persist-1/connection-string", null));
    assertThat(cs.get("connectionString").asText()).isEqualTo(created.get("connectionString").asText());
  }
}
