package io.gatehouse.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.cli.CliRunner.Result;
import io.gatehouse.cli.ExitCodes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code gatehouse audit list|verify}, and a tampered entry found after a restart. */
class AuditCommandsE2ETest {
  @RegisterExtension
  static final CliGateway gw = CliGateway.perTestClass();

  @Test
  void listShowsTheCreatesVerifyPassesThenFindsATamperedEntry() throws Exception {
    JsonNode device = gw.okJson("device", "create", "a1", "--tag", "site=a");
    gw.secret(device.get("primaryKey").asText());
    JsonNode service = gw.okJson("service", "create", "auditor", "--permit", "audit.read");
    gw.secret(service.get("primaryKey").asText());

    Result list = gw.ok("audit", "list");
    assertThat(list.err()).isEmpty();
    assertThat(list.out().lines().findFirst()).hasValueSatisfying(header ->
        assertThat(header).matches("SEQ\\s+TIME\\s+ACTOR\\s+ACTION\\s+TARGET\\s+OUTCOME\\s+SOURCE\\s+REASON"));
    assertThat(list.out())
        .containsPattern("(?m)^1\\s+\\S+\\s+system\\s+service\\.create\\s+service:operator\\s")
        .containsPattern("(?m)^2\\s+\\S+\\s+system\\s+gateway\\.start\\s+gateway:gatehouse\\.test\\s")
        .containsPattern("(?m)^3\\s+\\S+\\s+service:operator\\s+device\\.create\\s+device:a1\\s")
        .containsPattern("(?m)^4\\s+\\S+\\s+service:operator\\s+service\\.create\\s+service:auditor\\s")
        .doesNotContain(device.get("primaryKey").asText())
        .doesNotContain(gw.operatorKey());

    JsonNode page = gw.okJson("audit", "list", "--from", "3", "--limit", "1");
    assertThat(page.get("items")).hasSize(1);
    assertThat(page.at("/items/0/sequence").asLong()).isEqualTo(3);
    assertThat(page.at("/items/0/action").asText()).isEqualTo("device.create");
    Result limited = gw.ok("audit", "list", "--limit", "2");
    assertThat(limited.out().lines().toList()).hasSize(3);
    assertThat(limited.err()).contains("(more audit entries: gatehouse audit list --from 3)");

    Result intact = gw.ok("audit", "verify");
    assertThat(intact.out()).startsWith("audit log intact: ").contains("entries checked");
    assertThat(intact.err()).isEmpty();

    gw.stop();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + gw.data().resolve("gatehouse.db"));
         Statement sql = db.createStatement()) {
      assertThat(sql.executeUpdate("UPDATE audit_log SET reason='x' WHERE sequence=3")).isEqualTo(1);
    }
    gw.start();

    Result broken = gw.run("audit", "verify");
    assertThat(broken.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(broken.out()).startsWith("audit log BROKEN at sequence 3: ").contains("3");
    assertThat(broken.err()).isEmpty();

    Result brokenJson = gw.run("audit", "verify", "--output", "json");
    assertThat(brokenJson.exitCode()).isEqualTo(ExitCodes.REFUSED);
    JsonNode verdict = CliGateway.json(brokenJson.out());
    assertThat(verdict.get("intact").asBoolean()).isFalse();
    assertThat(verdict.get("firstBadSequence").asLong()).isEqualTo(3);

    Result asAuditor = gw.run("audit", "verify", "--credential", service.get("connectionString").asText());
    assertThat(asAuditor.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(asAuditor.out()).startsWith("audit log BROKEN at sequence 3: ");
  }
}
