package io.gatehouse.server.e2e;

import static io.gatehouse.server.e2e.AuthAndBadInputTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each test gets its own gateway: these tests change who holds admin. */
class ServiceIdentityApiTest {
  @TempDir Path data;
  GatewayFixture gw;

  @BeforeEach
  void start() {
    gw = new GatewayFixture(data);
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  @Test
  void operatorHoldsExplicitPermissionsNotAWildcard() throws Exception {
    JsonNode operator = Json.of(gw.asOperator("GET", "/services/operator", null));
    assertThat(operator.get("permissions")).extracting(p -> p.get("permission").asText())
        .containsExactlyInAnyOrder("registry.read", "registry.write", "messages.send", "telemetry.read", "audit.read", "admin",
            "enrollments.read", "enrollments.write");
    assertThat(operator.has("primaryKey")).isFalse();
  }

  @Test
  void scopedGrantsRoundTrip() throws Exception {
    JsonNode created = Json.of(gw.asOperator("PUT", "/services/sender",
        "{\"permissions\":[{\"permission\":\"messages.send\",\"devices\":[\"d2\",\"d1\"],\"tags\":{\"site\":\"a\"}}]}"));
    assertThat(created.get("connectionString").asText()).startsWith("HostName=gatehouse.test;SharedAccessKeyName=sender;SharedAccessKey=");
    JsonNode grant = created.get("permissions").get(0);
    assertThat(grant.get("devices")).extracting(JsonNode::asText).containsExactly("d1", "d2");
    assertProblem(gw.asOperator("PUT", "/services/bad-scope",
        "{\"permissions\":[{\"permission\":\"admin\",\"devices\":[\"d1\"]}]}"), 400, "cannot be scoped");
    assertProblem(gw.asOperator("PUT", "/services/bad-perm",
        "{\"permissions\":[{\"permission\":\"root\"}]}"), 400, "permission 'root' is not known");
  }

  @Test
  void lastAdminCannotBeRemoved() throws Exception {
    assertProblem(gw.asOperator("DELETE", "/services/operator", null), 409, "last enabled service identity holding admin");
    assertProblem(gw.asOperator("POST", "/services/operator/disable", null), 409, "last enabled");
    String etag = Json.of(gw.asOperator("GET", "/services/operator", null)).get("etag").asText();
    assertProblem(gw.asOperator("PUT", "/services/operator", "{\"permissions\":[{\"permission\":\"registry.read\"}]}",
        "If-Match", etag), 409, "last enabled");
  }

  @Test
  void secondAdminMakesTheFirstRemovable() throws Exception {
    JsonNode deputy = Json.of(gw.asOperator("PUT", "/services/deputy", "{\"permissions\":[{\"permission\":\"admin\"}]}"));
    String cs = deputy.get("connectionString").asText();
    assertThat(gw.as(cs, "PUT", "/services/temp-admin", "{\"permissions\":[{\"permission\":\"admin\"}]}").statusCode()).isEqualTo(201);
    assertThat(gw.as(cs, "DELETE", "/services/temp-admin", null).statusCode()).isEqualTo(204);
    assertThat(gw.as(cs, "GET", "/services/temp-admin", null).statusCode()).isEqualTo(404);
  }

  @Test
  void keyRotationInvalidatesTheReplacedKeyOnly() throws Exception {
    JsonNode app = Json.of(gw.asOperator("PUT", "/services/rotator", "{\"permissions\":[{\"permission\":\"registry.read\"}]}"));
    String oldCs = app.get("connectionString").asText();
    JsonNode rotated = Json.of(gw.asOperator("POST", "/services/rotator/keys/regenerate", "{\"key\":\"rotate\"}"));
    String newCs = rotated.get("connectionString").asText();
    assertThat(gw.as(newCs, "GET", "/devices", null).statusCode()).isEqualTo(200);
    assertThat(gw.as(oldCs, "GET", "/devices", null).statusCode()).as("old primary is now secondary").isEqualTo(200);
    gw.asOperator("POST", "/services/rotator/keys/regenerate", "{\"key\":\"secondary\"}");
    assertThat(gw.as(oldCs, "GET", "/devices", null).statusCode()).isEqualTo(401);
    assertThat(gw.as(newCs, "GET", "/devices", null).statusCode()).isEqualTo(200);
  }
}
