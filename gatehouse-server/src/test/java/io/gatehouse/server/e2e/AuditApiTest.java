package io.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditApiTest {
  @TempDir Path data;

  @Test
  void registryChangesAreChainedAndATamperedEntryIsFound() throws Exception {
    try (GatewayFixture gw = new GatewayFixture(data)) {
      gw.asOperator("PUT", "/devices/a1", "{}");
      gw.asOperator("POST", "/devices/a1/disable", "{\"reason\":\"lost\"}");
      gw.asOperator("DELETE", "/devices/a1", null);

      JsonNode items = Json.of(gw.asOperator("GET", "/audit", null)).get("items");
      assertThat(items).extracting(e -> e.get("action").asText())
          .contains("device.create", "device.disable", "device.delete");
      for (int i = 1; i < items.size(); i++) {
        assertThat(items.get(i).get("previousHash").asText()).isEqualTo(items.get(i - 1).get("hash").asText());
      }
      JsonNode intact = Json.of(gw.asOperator("GET", "/audit/verify", null));
      assertThat(intact.get("intact").asBoolean()).isTrue();
      long disableSeq = -1;
      for (JsonNode e : items) {
        if (e.get("action").asText().equals("device.disable")) {
          disableSeq = e.get("sequence").asLong();
        }
      }

      gw.gateway().close();
      try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("gatehouse.db"));
           Statement sql = db.createStatement()) {
        assertThat(sql.executeUpdate("UPDATE audit_log SET reason = 'routine' WHERE sequence = " + disableSeq)).isEqualTo(1);
      }
      gw.start();
      JsonNode broken = Json.of(gw.asOperator("GET", "/audit/verify", null));
      assertThat(broken.get("intact").asBoolean()).isFalse();
      assertThat(broken.get("firstBadSequence").asLong()).isEqualTo(disableSeq);
      assertThat(broken.get("problem").asText()).contains("altered");
    }
  }

  @Test
  void deletedEntryIsFound() throws Exception {
    try (GatewayFixture gw = new GatewayFixture(data)) {
      for (int i = 0; i < 3; i++) {
        gw.asOperator("PUT", "/devices/del-" + i, "{}");
      }
      gw.gateway().close();
      try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("gatehouse.db"));
           Statement sql = db.createStatement()) {
        sql.executeUpdate("DELETE FROM audit_log WHERE sequence = 2");
      }
      gw.start();
      JsonNode broken = Json.of(gw.asOperator("GET", "/audit/verify", null));
      assertThat(broken.get("intact").asBoolean()).isFalse();
      assertThat(broken.get("firstBadSequence").asLong()).isEqualTo(2);
    }
  }
}
