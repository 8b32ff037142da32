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

/**
 * {@code gatehouse device …} and {@code gatehouse edge …} against a real gateway. Tests share the
 * gateway, so each uses its own device ids and lists through a filter only its devices match.
 */
class DeviceCommandsE2ETest {
  @RegisterExtension
  static final CliGateway gw = CliGateway.perTestClass();

  /** Creates a SAS device with --output json and registers its keys as secrets. */
  private static JsonNode create(String... args) {
    return gw.createWithKeys("device", args);
  }

  private static List<String> ids(JsonNode listing) {
    List<String> ids = new ArrayList<>();
    listing.get("items").forEach(d -> ids.add(d.get("deviceId").asText()));
    return ids;
  }

  @Test
  void createInTableFormatShowsTheKeysOnceWithAHintOnStderr() {
    Result created = gw.ok("device", "create", "tbl-1", "--tag", "site=t");

    assertThat(created.out()).containsPattern("(?m)^deviceId:\\s+tbl-1$")
        .containsPattern("(?m)^primaryKey:\\s+\\S{44}$")
        .containsPattern("(?m)^connectionString:\\s+HostName=gatehouse\\.test;DeviceId=tbl-1;SharedAccessKey=\\S+$");
    assertThat(created.err()).contains("the keys are shown only on create and rotate-key")
        .contains("gatehouse device connection-string tbl-1");
  }

  @Test
  void showAndListInTableAndJson() {
    create("show-1", "--tag", "group=show", "--tag", "site=a");
    create("show-2", "--tag", "group=show");

    Result show = gw.ok("device", "show", "show-1");
    assertThat(show.err()).isEmpty();
    assertThat(show.out()).containsPattern("(?m)^deviceId:\\s+show-1$")
        .containsPattern("(?m)^kind:\\s+device$")
        .containsPattern("(?m)^status:\\s+enabled$")
        .containsPattern("(?m)^authentication:\\s+type=sas$")
        .containsPattern("(?m)^tags:\\s+group=show, site=a$")
        .containsPattern("(?m)^etag:\\s+\\S+$")
        .doesNotContain("primaryKey").doesNotContain("SharedAccessKey");

    JsonNode shown = gw.okJson("device", "show", "show-1");
    assertThat(shown.get("deviceId").asText()).isEqualTo("show-1");
    assertThat(shown.at("/tags/site").asText()).isEqualTo("a");
    assertThat(shown.at("/authentication/type").asText()).isEqualTo("sas");
    assertThat(shown.has("primaryKey")).isFalse();
    assertThat(shown.has("connectionString")).isFalse();

    Result table = gw.ok("device", "list", "--tag", "group=show");
    assertThat(table.err()).isEmpty();
    List<String> lines = table.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).matches("ID\\s+KIND\\s+STATUS\\s+AUTH\\s+PARENT\\s+TAGS\\s+LAST ACTIVITY");
    assertThat(lines.get(1)).matches("show-1\\s+device\\s+enabled\\s+sas\\s+group=show, site=a");
    assertThat(lines.get(2)).matches("show-2\\s+device\\s+enabled\\s+sas\\s+group=show");

    JsonNode listing = gw.okJson("device", "list", "--tag", "group=show");
    assertThat(ids(listing)).containsExactly("show-1", "show-2");
    assertThat(listing.has("continuationToken")).isFalse();
    assertThat(listing.toString()).doesNotContain("primaryKey");

    JsonNode onlySiteA = gw.okJson("device", "list", "--tag", "site=a");
    assertThat(ids(onlySiteA)).containsExactly("show-1");

    Result paged = gw.ok("device", "list", "--tag", "group=show", "--page-size", "1");
    assertThat(paged.out().lines().toList()).hasSize(2);
    assertThat(paged.err()).contains("(more devices exist: pass --all to list them all)");
    Result all = gw.ok("device", "list", "--tag", "group=show", "--page-size", "1", "--all");
    assertThat(all.out().lines().toList()).hasSize(3);
    assertThat(all.err()).isEmpty();
  }

  @Test
  void edgeWithLeavesListsByParentAndCannotBeDeletedWhileItHasChildren() {
    JsonNode edge = create("gw-1", "--edge");
    assertThat(edge.get("kind").asText()).isEqualTo("edge");
    JsonNode viaEdgeCommand = gw.okJson("edge", "create", "gw-2");
    gw.secret(viaEdgeCommand.path("primaryKey").asText());
    assertThat(viaEdgeCommand.get("kind").asText()).isEqualTo("edge");
    JsonNode leaf = create("leaf-1", "--parent", "gw-1");
    assertThat(leaf.get("parentId").asText()).isEqualTo("gw-1");
    create("leaf-2", "--parent", "gw-1");

    Result children = gw.ok("device", "list", "--parent", "gw-1");
    List<String> lines = children.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).matches("leaf-1\\s+device\\s+enabled\\s+sas\\s+gw-1");
    assertThat(lines.get(2)).matches("leaf-2\\s+device\\s+enabled\\s+sas\\s+gw-1");
    assertThat(ids(gw.okJson("device", "list", "--parent", "gw-1"))).containsExactly("leaf-1", "leaf-2");
    assertThat(ids(gw.okJson("edge", "list", "--parent", "gw-1"))).isEmpty();
    assertThat(ids(gw.okJson("edge", "list"))).contains("gw-1", "gw-2").doesNotContain("leaf-1", "leaf-2");
    assertThat(ids(gw.okJson("device", "list", "--kind", "edge"))).contains("gw-1", "gw-2").doesNotContain("leaf-1");

    Result edgeShow = gw.ok("edge", "show", "gw-1");
    assertThat(edgeShow.out()).containsPattern("(?m)^kind:\\s+edge$");
    Result leafAsEdge = gw.run("edge", "show", "leaf-1");
    assertThat(leafAsEdge.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(leafAsEdge.err()).contains("'leaf-1' is a device").contains("use `gatehouse device` for it");
    assertThat(leafAsEdge.out()).isEmpty();

    for (String[] delete : List.of(new String[] {"edge", "delete", "gw-1"}, new String[] {"device", "delete", "gw-1"})) {
      Result refused = gw.run(delete);
      assertThat(refused.exitCode()).as(String.join(" ", delete)).isEqualTo(ExitCodes.REFUSED);
      assertThat(refused.err()).as(String.join(" ", delete))
          .startsWith("error: ")
          .contains("cannot delete field gateway 'gw-1': 2 device(s) name it as parent; move or delete them first");
      assertThat(refused.out()).isEmpty();
    }
    assertThat(ids(gw.okJson("edge", "list"))).contains("gw-1");

    gw.ok("device", "delete", "leaf-1");
    gw.ok("device", "delete", "leaf-2");
    Result deleted = gw.ok("edge", "delete", "gw-1");
    assertThat(deleted.out()).isEqualTo("deleted edge gw-1" + System.lineSeparator());
    assertThat(ids(gw.okJson("edge", "list"))).doesNotContain("gw-1");
  }

  @Test
  void disableEnableAndQuarantine() {
    create("st-1", "--tag", "group=status");
    create("st-2", "--tag", "group=status");

    JsonNode disabled = gw.okJson("device", "disable", "st-1", "--reason", "maintenance window");
    assertThat(disabled.get("status").asText()).isEqualTo("disabled");
    assertThat(disabled.get("statusReason").asText()).isEqualTo("maintenance window");
    assertThat(ids(gw.okJson("device", "list", "--tag", "group=status", "--status", "disabled")))
        .containsExactly("st-1");

    Result enabled = gw.ok("device", "enable", "st-1");
    assertThat(enabled.out()).containsPattern("(?m)^status:\\s+enabled$");
    assertThat(gw.okJson("device", "show", "st-1").get("status").asText()).isEqualTo("enabled");

    JsonNode quarantined = gw.okJson("device", "quarantine", "st-2", "--reason", "odd traffic");
    assertThat(quarantined.get("status").asText()).isEqualTo("quarantined");
    assertThat(quarantined.get("statusReason").asText()).isEqualTo("odd traffic");
    Result list = gw.ok("device", "list", "--tag", "group=status");
    assertThat(list.out()).containsPattern("(?m)^st-1\\s+device\\s+enabled\\s")
        .containsPattern("(?m)^st-2\\s+device\\s+quarantined\\s");
    assertThat(ids(gw.okJson("device", "list", "--status", "quarantined"))).containsExactly("st-2");

    Result missing = gw.run("device", "disable", "st-nope");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(missing.err()).contains("no device 'st-nope'");
  }

  @Test
  void rotateKeyKeepsTheOldPrimaryAsSecondaryAndConnectionStringFollows() {
    JsonNode created = create("rk-1");
    String oldPrimary = created.get("primaryKey").asText();

    JsonNode rotated = gw.okJson("device", "rotate-key", "rk-1");
    String newPrimary = rotated.get("primaryKey").asText();
    gw.secret(newPrimary);
    assertThat(rotated.get("deviceId").asText()).isEqualTo("rk-1");
    assertThat(newPrimary).isNotBlank().isNotEqualTo(oldPrimary);
    assertThat(rotated.get("secondaryKey").asText()).isEqualTo(oldPrimary);

    Result primary = gw.ok("device", "connection-string", "rk-1");
    assertThat(primary.out()).isEqualTo(
        "HostName=gatehouse.test;DeviceId=rk-1;SharedAccessKey=" + newPrimary + System.lineSeparator());
    assertThat(primary.err()).isEmpty();
    Result secondary = gw.ok("device", "connection-string", "rk-1", "--key", "secondary");
    assertThat(secondary.out()).isEqualTo(
        "HostName=gatehouse.test;DeviceId=rk-1;SharedAccessKey=" + oldPrimary + System.lineSeparator());
    assertThat(gw.okJson("device", "connection-string", "rk-1").get("connectionString").asText())
        .isEqualTo("HostName=gatehouse.test;DeviceId=rk-1;SharedAccessKey=" + newPrimary);

    Result swapped = gw.ok("device", "rotate-key", "rk-1", "--key", "swap");
    assertThat(swapped.out()).containsPattern("(?m)^primaryKey:\\s+" + Pattern.quote(oldPrimary) + "$")
        .containsPattern("(?m)^secondaryKey:\\s+" + Pattern.quote(newPrimary) + "$");
  }

  @Test
  void deleteRemovesTheDevice() {
    create("del-1");

    Result deleted = gw.ok("device", "delete", "del-1");
    assertThat(deleted.out()).isEqualTo("deleted device del-1" + System.lineSeparator());
    assertThat(deleted.err()).isEmpty();

    Result show = gw.run("device", "show", "del-1");
    assertThat(show.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(show.err()).isEqualTo("error: Not Found: no device 'del-1'" + System.lineSeparator());
    assertThat(show.out()).isEmpty();

    Result again = gw.run("device", "delete", "del-1");
    assertThat(again.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(again.err()).contains("no device 'del-1'");
  }

  @Test
  void aDuplicateCreateIsRefusedWithTheServersReason() {
    create("dup-1");

    Result again = gw.run("device", "create", "dup-1");
    assertThat(again.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(again.err()).startsWith("error: Conflict: ").contains("dup-1");
    assertThat(again.out()).isEmpty();
  }
}
