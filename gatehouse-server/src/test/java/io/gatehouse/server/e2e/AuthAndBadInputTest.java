package io.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.sas.SasSigner;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every refusal is a precise problem, is audited, and leaves the server serving. */
class AuthAndBadInputTest {
  @RegisterExtension static final GatewayFixture gw = GatewayFixture.perTestClass();

  @Test
  void healthNeedsNoCredential() throws Exception {
    assertThat(gw.send("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
    assertThat(Json.of(gw.send("GET", "/readyz", null, null)).get("status").asText()).isEqualTo("ready");
    assertThat(gw.send("GET", "/openapi.yaml", null, null).body()).contains("openapi: 3.1");
  }

  @Test
  void missingCredentialIs401WithChallenge() throws Exception {
    HttpResponse<String> response = gw.send("GET", "/devices", null, null);
    assertProblem(response, 401, "no Authorization header");
    assertThat(response.headers().firstValue("WWW-Authenticate")).contains("SharedAccessSignature");
  }

  @Test
  void badTokensAreRefusedWithTheirReason() throws Exception {
    String cs = gw.operatorCredential();
    String expired = GatewayFixture.serviceToken(cs, Instant.now().minusSeconds(3600));
    assertProblem(gw.send("GET", "/devices", null, expired), 401, "expired");
    String future = GatewayFixture.serviceToken(cs, Instant.now().plusSeconds(400L * 86400));
    assertProblem(gw.send("GET", "/devices", null, future), 401, "days ahead");
    String otherHost = SasSigner.token("evil.example", new byte[32], Instant.now().plusSeconds(60), "operator");
    assertProblem(gw.send("GET", "/devices", null, otherHost), 401, "not for 'gatehouse.test'");
    String wrongKey = SasSigner.token("gatehouse.test", new byte[32], Instant.now().plusSeconds(60), "operator");
    assertProblem(gw.send("GET", "/devices", null, wrongKey), 401, "does not match");
    String nobody = SasSigner.token("gatehouse.test", new byte[32], Instant.now().plusSeconds(60), "nobody");
    assertProblem(gw.send("GET", "/devices", null, nobody), 401, "does not match");
    String deviceToken = SasSigner.token("gatehouse.test/devices/d1", new byte[32], Instant.now().plusSeconds(60), null);
    assertProblem(gw.send("GET", "/devices", null, deviceToken), 401, "no 'skn'");
    assertProblem(gw.send("GET", "/devices", null, "Basic b3A6b3A="), 401, "must start with 'SharedAccessSignature '");
  }

  @Test
  void refusalsAreAuditedWithSourceAndReason() throws Exception {
    gw.send("GET", "/devices", null, "SharedAccessSignature garbage");
    JsonNode entries = Json.of(gw.asOperator("GET", "/audit?limit=1000", null)).get("items");
    JsonNode last = null;
    for (JsonNode e : entries) {
      if (e.get("action").asText().equals("auth.service") && e.get("reason").asText().contains("not of the form")) {
        last = e;
      }
    }
    assertThat(last).as("audit line for the refused token").isNotNull();
    assertThat(last.get("outcome").asText()).isEqualTo("failure");
    assertThat(last.get("sourceAddress").asText()).startsWith("127.0.0.1:");
  }

  @Test
  void malformedBodiesAreClientErrorsNamingTheProblem() throws Exception {
    assertProblem(gw.asOperator("PUT", "/devices/bad-body-1", "{\"tgs\":{}}"), 400, "unknown field 'tgs'");
    assertProblem(gw.asOperator("PUT", "/devices/bad-body-2", "{not json"), 400, "not valid JSON");
    assertProblem(gw.asOperator("PUT", "/devices/bad-body-3", "[1,2]"), 400, "expected shape");
    assertProblem(gw.asOperator("PUT", "/devices/bad-body-4", "{\"kind\":\"toaster\"}"), 400, "kind 'toaster' is not known");
    assertProblem(gw.asOperator("PUT", "/devices/bad-body-5", "{\"status\":\"on\"}"), 400, "status 'on'");
    assertProblem(gw.asOperator("PUT", "/devices/bad-body-6", "{\"authentication\":{\"type\":\"sas\",\"primaryKey\":\"!!\",\"secondaryKey\":\"!!\"}}"),
        400, "not valid base64");
    assertProblem(gw.asOperator("PUT", "/devices/bad-body-7", "{\"tags\":{\"k\":\"v\"}} trailing"), 400, "");
    assertProblem(gw.asOperator("PUT", "/devices/bad%20id", "{}"), 400, "U+0020");
    assertProblem(gw.asOperator("PUT", "/devices/" + "a".repeat(129), "{}"), 400, "at most 128");
    assertProblem(gw.asOperator("GET", "/devices?pageSize=0", null), 400, "pageSize");
    assertProblem(gw.asOperator("GET", "/devices?pageSize=ten", null), 400, "whole number");
    assertProblem(gw.asOperator("GET", "/devices?continuationToken=%25%25", null), 400, "");
    assertProblem(gw.asOperator("GET", "/nothing-here", null), 404, "");
    assertProblem(gw.asOperator("PATCH", "/devices/x", "{}"), 405, "");
  }

  @Test
  void oversizedBodyIs413AndServerKeepsServing() throws Exception {
    String huge = "{\"tags\":{\"k\":\"" + "x".repeat(100_000) + "\"}}";
    assertThat(gw.asOperator("PUT", "/devices/huge-1", huge).statusCode()).isEqualTo(413);
    assertThat(gw.asOperator("PUT", "/devices/after-huge", "{}").statusCode()).isEqualTo(201);
  }

  @Test
  void narrowIdentityIsDeniedWhatItLacksAndTheDenialIsAudited() throws Exception {
    JsonNode reader = Json.of(gw.asOperator("PUT", "/services/reader-app",
        "{\"permissions\":[{\"permission\":\"registry.read\"}]}"));
    String cs = reader.get("connectionString").asText();
    assertThat(gw.as(cs, "GET", "/devices", null).statusCode()).isEqualTo(200);
    HttpResponse<String> denied = gw.as(cs, "PUT", "/devices/not-allowed", "{}");
    assertProblem(denied, 403, "lacks the permission registry.write");
    assertThat(Json.of(denied).get("missingPermission").asText()).isEqualTo("registry.write");
    assertThat(gw.asOperator("GET", "/devices/not-allowed", null).statusCode()).isEqualTo(404);
    assertProblem(gw.as(cs, "GET", "/audit", null), 403, "audit.read");
    assertProblem(gw.as(cs, "GET", "/services", null), 403, "admin");

    JsonNode items = Json.of(gw.asOperator("GET", "/audit?limit=1000", null)).get("items");
    assertThat(items).anySatisfy(e -> {
      assertThat(e.get("actor").asText()).isEqualTo("service:reader-app");
      assertThat(e.get("action").asText()).isEqualTo("device.create");
      assertThat(e.get("outcome").asText()).isEqualTo("denied");
    });
  }

  @Test
  void disabledIdentityIsRefusedAtOnce() throws Exception {
    JsonNode app = Json.of(gw.asOperator("PUT", "/services/soon-disabled",
        "{\"permissions\":[{\"permission\":\"registry.read\"}]}"));
    String cs = app.get("connectionString").asText();
    assertThat(gw.as(cs, "GET", "/devices", null).statusCode()).isEqualTo(200);
    assertThat(gw.asOperator("POST", "/services/soon-disabled/disable", null).statusCode()).isEqualTo(200);
    assertProblem(gw.as(cs, "GET", "/devices", null), 403, "disabled");
  }

  @Test
  void aDeletedIdentityIsRefusedAtOnceAndANewOneOfTheSameNameDoesNotInheritItsTokens() throws Exception {
    String cs = Json.of(gw.asOperator("PUT", "/services/short-lived",
        "{\"permissions\":[{\"permission\":\"registry.read\"}]}")).get("connectionString").asText();
    assertThat(gw.as(cs, "GET", "/devices", null).statusCode()).isEqualTo(200);
    assertThat(gw.asOperator("DELETE", "/services/short-lived", null).statusCode()).isEqualTo(204);
    assertProblem(gw.as(cs, "GET", "/devices", null), 401, "");

    String recreated = Json.of(gw.asOperator("PUT", "/services/short-lived",
        "{\"permissions\":[{\"permission\":\"registry.read\"}]}")).get("connectionString").asText();
    assertThat(gw.as(recreated, "GET", "/devices", null).statusCode()).isEqualTo(200);
    assertProblem(gw.as(cs, "GET", "/devices", null), 401, "");
  }

  @Test
  void aNarrowedGrantCountsFromTheNextCall() throws Exception {
    String cs = Json.of(gw.asOperator("PUT", "/services/narrowed",
        "{\"permissions\":[{\"permission\":\"registry.read\"}]}")).get("connectionString").asText();
    assertThat(gw.as(cs, "GET", "/devices", null).statusCode()).isEqualTo(200);
    String etag = gw.asOperator("GET", "/services/narrowed", null).headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> narrowed = gw.asOperator("PUT", "/services/narrowed",
        "{\"permissions\":[{\"permission\":\"telemetry.read\"}]}", "If-Match", etag);
    assertThat(narrowed.statusCode()).as(narrowed.body()).isEqualTo(200);
    assertProblem(gw.as(cs, "GET", "/devices", null), 403, "registry.read");
  }

  static void assertProblem(HttpResponse<String> response, int status, String detailContains) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    JsonNode problem = Json.of(response);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("title").asText()).isNotBlank();
    assertThat(problem.get("detail").asText()).contains(detailContains);
  }
}
