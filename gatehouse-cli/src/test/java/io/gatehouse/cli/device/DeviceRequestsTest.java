package io.gatehouse.cli.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.cli.CliRunner;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

/** What the device commands would send, from their parsed command lines. */
class DeviceRequestsTest {
  private static final String THUMB = "AB:".repeat(31) + "AB";

  @SuppressWarnings("unchecked")
  private static <T> T parse(String... args) {
    ParseResult result = CliRunner.commandLine(Map.of()).parseArgs(args);
    while (result.hasSubcommand()) {
      result = result.subcommand();
    }
    return (T) result.commandSpec().userObject();
  }

  @Test
  void aSasDeviceWithTagsAndParent() {
    DeviceCreateCommand create = parse("device", "create", "d1", "--parent", "edge-1",
        "--tag", "site=plant-7", "--tag", "line=a=b");

    assertThat(create.body()).hasToString("{\"kind\":\"device\",\"status\":\"enabled\",\"parentId\":\"edge-1\","
        + "\"tags\":{\"line\":\"a=b\",\"site\":\"plant-7\"},\"authentication\":{\"type\":\"sas\"}}");
  }

  @Test
  void aDisabledEdgeWithThumbprints() {
    DeviceCreateCommand create = parse("device", "create", "e1", "--edge", "--disabled",
        "--x509-thumbprint", THUMB, "--x509-secondary-thumbprint", "cd".repeat(32));

    assertThat(create.body()).hasToString("{\"kind\":\"edge\",\"status\":\"disabled\",\"authentication\":{"
        + "\"type\":\"x509-thumbprint\",\"primaryThumbprint\":\"" + "ab".repeat(32) + "\","
        + "\"secondaryThumbprint\":\"" + "cd".repeat(32) + "\"}}");
  }

  @Test
  void edgeCreateRegistersAnEdge() {
    EdgeCreateCommand create = parse("edge", "create", "e1", "--x509-ca");

    assertThat(create.body()).hasToString(
        "{\"kind\":\"edge\",\"status\":\"enabled\",\"authentication\":{\"type\":\"x509-ca\"}}");
  }

  @Test
  void listQueriesAreEncoded() {
    DeviceListCommand list = parse("device", "list", "--kind", "edge", "--status", "quarantined",
        "--tag", "site=plant 7&x", "--parent", "e%1", "--page-size", "50");
    assertThat(list.path(null)).hasToString(
        "/devices?kind=edge&status=quarantined&parent=e%251&tag=site%3Aplant%207%26x&pageSize=50");
    assertThat(list.path("tok+/=")).hasToString(
        "/devices?kind=edge&status=quarantined&parent=e%251&tag=site%3Aplant%207%26x&pageSize=50"
            + "&continuationToken=tok%2B%2F%3D");

    DeviceListCommand everything = parse("device", "list");
    assertThat(everything.path(null)).hasToString("/devices");

    EdgeListCommand edges = parse("edge", "list");
    assertThat(edges.path(null)).hasToString("/devices?kind=edge");
  }

  @Test
  void sharedCommandsKnowTheirGroup() {
    DeviceShowCommand deviceShow = parse("device", "show", "d1");
    DeviceShowCommand edgeShow = parse("edge", "show", "e1");
    DeviceDeleteCommand edgeDelete = parse("edge", "delete", "e1");

    assertThat(deviceShow.scope.requiredKind()).isEmpty();
    assertThat(edgeShow.scope.requiredKind()).contains("edge");
    assertThat(edgeDelete.scope.groupName()).isEqualTo("edge");
  }

  @Test
  void tokenLifetimeIsSentInSeconds() {
    DeviceTokenCommand token = parse("device", "token", "d1", "--ttl", "30m", "--key", "secondary");
    assertThat(token.body()).hasToString("{\"ttlSeconds\":1800,\"key\":\"secondary\"}");

    DeviceTokenCommand defaults = parse("device", "token", "d1");
    assertThat(defaults.body()).hasToString("{\"ttlSeconds\":3600,\"key\":\"primary\"}");
  }

  @Test
  void updateKeepsWhatItDoesNotChange() throws Exception {
    var current = new ObjectMapper().readTree("{\"deviceId\":\"d1\",\"kind\":\"device\",\"status\":\"disabled\","
        + "\"statusReason\":\"maintenance\",\"authentication\":{\"type\":\"x509-thumbprint\","
        + "\"primaryThumbprint\":\"" + "ab".repeat(32) + "\"},\"parentId\":\"e1\","
        + "\"tags\":{\"site\":\"a\",\"old\":\"x\"},\"etag\":\"\\\"7\\\"\",\"createdAt\":\"2030-01-01T00:00:00Z\"}");

    DeviceUpdateCommand update = parse("device", "update", "d1", "--tag", "site=b", "--remove-tag", "old");
    assertThat(update.replacement(current)).hasToString("{\"kind\":\"device\",\"status\":\"disabled\","
        + "\"statusReason\":\"maintenance\",\"parentId\":\"e1\",\"tags\":{\"site\":\"b\"},"
        + "\"authentication\":{\"type\":\"x509-thumbprint\",\"primaryThumbprint\":\"" + "ab".repeat(32) + "\"}}");

    DeviceUpdateCommand detach = parse("device", "update", "d1", "--no-parent");
    assertThat(detach.replacement(current).get("parentId").isNull()).isTrue();

    DeviceUpdateCommand move = parse("device", "update", "d1", "--parent", "e2");
    assertThat(move.replacement(current).get("parentId").asText()).isEqualTo("e2");
  }

  @Test
  void updateRollsACertificateThumbprintOverAndKeepsTheRest() throws Exception {
    var current = new ObjectMapper().readTree("{\"deviceId\":\"e1\",\"kind\":\"edge\",\"status\":\"enabled\","
        + "\"authentication\":{\"type\":\"x509-thumbprint\",\"primaryThumbprint\":\"" + "ab".repeat(32) + "\"},"
        + "\"tags\":{\"site\":\"a\"}}");

    DeviceUpdateCommand addNew = parse("device", "update", "e1", "--x509-secondary-thumbprint", "CD".repeat(32));
    assertThat(addNew.replacement(current).get("authentication")).hasToString("{\"type\":\"x509-thumbprint\","
        + "\"primaryThumbprint\":\"" + "ab".repeat(32) + "\",\"secondaryThumbprint\":\"" + "cd".repeat(32) + "\"}");
    assertThat(addNew.replacement(current).get("tags")).hasToString("{\"site\":\"a\"}");

    var both = addNew.replacement(current);
    ((com.fasterxml.jackson.databind.node.ObjectNode) both).put("deviceId", "e1");
    DeviceUpdateCommand promote = parse("device", "update", "e1", "--x509-thumbprint", "cd".repeat(32),
        "--no-x509-secondary-thumbprint");
    assertThat(promote.replacement(both).get("authentication")).hasToString("{\"type\":\"x509-thumbprint\","
        + "\"primaryThumbprint\":\"" + "cd".repeat(32) + "\"}");

    var sas = new ObjectMapper().readTree("{\"deviceId\":\"e1\",\"kind\":\"edge\",\"authentication\":{\"type\":\"sas\"}}");
    assertThatThrownBy(() -> promote.replacement(sas)).isInstanceOf(io.gatehouse.cli.CliException.class)
        .hasMessageContaining("authenticates with sas, not with certificate thumbprints");
  }
}
