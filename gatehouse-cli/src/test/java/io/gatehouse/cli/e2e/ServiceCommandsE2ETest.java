package io.gatehouse.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.cli.CliRunner.Result;
import io.gatehouse.cli.ExitCodes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code gatehouse service …}: scoped permits round-trip, and a narrow credential is refused. */
class ServiceCommandsE2ETest {
  @RegisterExtension
  static final CliGateway gw = CliGateway.perTestClass();

  private static JsonNode createService(String... args) {
    return gw.createWithKeys("service", args);
  }

  private static List<String> permitsOf(JsonNode service) {
    List<String> permits = new ArrayList<>();
    service.get("permissions").forEach(p -> permits.add(p.get("permission").asText()));
    return permits;
  }

  @Test
  void scopedPermitsRoundTrip() {
    JsonNode created = createService("sender",
        "--permit", "messages.send:devices=d1,d2", "--permit", "telemetry.read:tag=site=a");

    assertThat(created.get("name").asText()).isEqualTo("sender");
    assertThat(created.get("connectionString").asText())
        .startsWith("HostName=gatehouse.test;SharedAccessKeyName=sender;SharedAccessKey=");
    assertThat(permitsOf(created)).containsExactlyInAnyOrder("messages.send", "telemetry.read");
    for (JsonNode grant : created.get("permissions")) {
      if (grant.get("permission").asText().equals("messages.send")) {
        assertThat(grant.get("devices")).extracting(JsonNode::asText).containsExactly("d1", "d2");
        assertThat(grant.path("tags").size()).isZero();
      } else {
        assertThat(grant.path("devices").size()).isZero();
        assertThat(grant.at("/tags/site").asText()).isEqualTo("a");
        assertThat(grant.get("tags").size()).isEqualTo(1);
      }
    }

    Result show = gw.ok("service", "show", "sender");
    assertThat(show.err()).isEmpty();
    assertThat(show.out()).containsPattern("(?m)^name:\\s+sender$")
        .containsPattern("(?m)^status:\\s+enabled$")
        .containsPattern("(?m)^permissions:\\s+messages\\.send:devices=d1,d2$")
        .containsPattern("(?m)^\\s+telemetry\\.read:tag=site=a$")
        .doesNotContain("primaryKey").doesNotContain("SharedAccessKey");

    JsonNode shown = gw.okJson("service", "show", "sender");
    assertThat(shown.get("permissions")).isEqualTo(created.get("permissions"));
    assertThat(shown.has("primaryKey")).isFalse();

    Result list = gw.ok("service", "list");
    assertThat(list.out()).containsPattern(
        "(?m)^sender\\s+enabled\\s+messages\\.send:devices=d1,d2 telemetry\\.read:tag=site=a\\s");
  }

  @Test
  void aRegistryReadCredentialCanReadButCannotCreateADevice() {
    JsonNode reader = createService("reader", "--permit", "registry.read");
    String connection = reader.get("connectionString").asText();
    gw.ok("device", "create", "existing-1");

    Result list = gw.ok("device", "list", "--credential", connection, "--output", "json");
    assertThat(CliGateway.json(list.out()).get("items")).extracting(d -> d.get("deviceId").asText())
        .contains("existing-1");

    Result refused = gw.run("device", "create", "intruder-1", "--credential", connection);

    assertThat(refused.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(refused.err()).startsWith("error: ").contains("registry.write")
        .contains("(missing permission: registry.write)");
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err()).doesNotContain(reader.get("primaryKey").asText()).doesNotContain(connection);

    Result show = gw.run("device", "show", "intruder-1");
    assertThat(show.exitCode()).as("the refused create must not have created the device").isEqualTo(ExitCodes.REFUSED);
    assertThat(show.err()).contains("no device 'intruder-1'");

    Result admin = gw.run("service", "list", "--credential", connection);
    assertThat(admin.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(admin.err()).contains("(missing permission: admin)");
  }

  @Test
  void rotateKeyPrintsPermitsInPermitSyntaxAndKeepsTheOldKeyValidUntilReplaced() {
    JsonNode created = createService("rotator", "--permit", "registry.read", "--permit", "messages.send:devices=d1");
    String oldPrimary = created.get("primaryKey").asText();
    String oldConnection = created.get("connectionString").asText();

    Result rotated = gw.ok("service", "rotate-key", "rotator");
    String newPrimary = rotated.out().lines().filter(l -> l.startsWith("primaryKey:"))
        .map(l -> l.substring("primaryKey:".length()).strip()).findFirst().orElseThrow();
    gw.secret(newPrimary);
    String newConnection = "HostName=gatehouse.test;SharedAccessKeyName=rotator;SharedAccessKey=" + newPrimary;
    assertThat(newPrimary).isNotEqualTo(oldPrimary);
    assertThat(rotated.out()).containsPattern("(?m)^permissions:\\s+registry\\.read$")
        .containsPattern("(?m)^\\s+messages\\.send:devices=d1$")
        .containsPattern("(?m)^secondaryKey:\\s+" + Pattern.quote(oldPrimary) + "$")
        .containsPattern("(?m)^connectionString:\\s+" + Pattern.quote(newConnection) + "$")
        .doesNotContain("permission=");
    assertThat(gw.ok("service", "connection-string", "rotator").out())
        .isEqualTo(newConnection + System.lineSeparator());

    gw.ok("device", "list", "--credential", newConnection);
    gw.ok("device", "list", "--credential", oldConnection);

    JsonNode replaced = gw.okJson("service", "rotate-key", "rotator", "--key", "secondary");
    gw.secret(replaced.get("secondaryKey").asText());
    assertThat(replaced.get("primaryKey").asText()).isEqualTo(newPrimary);
    assertThat(replaced.get("secondaryKey").asText()).isNotEqualTo(oldPrimary);
    Result stale = gw.run("device", "list", "--credential", oldConnection);
    assertThat(stale.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(stale.err()).startsWith("error: the credential was refused: ")
        .contains("(credential from --credential)");
  }
}
