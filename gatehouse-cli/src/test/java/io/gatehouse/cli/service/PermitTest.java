package io.gatehouse.cli.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.core.error.InvalidInputException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PermitTest {
  @Test
  void aPlainPermissionIsUnscoped() {
    Permit permit = Permit.parse("registry.read");
    assertThat(permit).isEqualTo(new Permit("registry.read", Set.of(), Map.of()));
    assertThat(permit.scoped()).isFalse();
    assertThat(permit.toJson()).hasToString("{\"permission\":\"registry.read\"}");
  }

  @Test
  void devicesAreCommaSeparated() {
    Permit permit = Permit.parse("messages.send:devices=d1,d2");
    assertThat(permit.devices()).containsExactly("d1", "d2");
    assertThat(permit.toJson()).hasToString("{\"permission\":\"messages.send\",\"devices\":[\"d1\",\"d2\"]}");
  }

  @Test
  void oneDeviceIsTakenAsIsEvenWithACommaOrEquals() {
    assertThat(Permit.parse("messages.send:device=odd,id=1").devices()).containsExactly("odd,id=1");
  }

  @Test
  void aTagIsKeyEqualsValue() {
    Permit permit = Permit.parse("telemetry.read:tag=site=plant-7");
    assertThat(permit.tags()).isEqualTo(Map.of("site", "plant-7"));
    assertThat(permit.toJson()).hasToString("{\"permission\":\"telemetry.read\",\"tags\":{\"site\":\"plant-7\"}}");
    assertThat(Permit.parse("telemetry.read:tag=formula=a=b").tags()).isEqualTo(Map.of("formula", "a=b"));
  }

  @Test
  void badPermitsSayWhatIsWrong() {
    assertRefused("", "a permit is empty; use PERMISSION, PERMISSION:devices=ID[,ID...]");
    assertRefused("registry.reed", "permission 'registry.reed' is not known; use one of: registry.read, "
        + "registry.write, messages.send, telemetry.read, audit.read, admin");
    assertRefused("registry.read:devices=d1", "registry.read cannot be scoped to devices or tags; only "
        + "messages.send and telemetry.read can");
    assertRefused("messages.send:", "has an empty scope after ':'; write just messages.send for every device");
    assertRefused("messages.send:site=a", "'messages.send:site=a' has an unknown scope 'site'; use PERMISSION,");
    assertRefused("messages.send:devices", "the scope of 'messages.send:devices' is incomplete; write "
        + "devices=ID[,ID...], e.g. devices=d1,d2");
    assertRefused("messages.send:devices=", "is incomplete");
    assertRefused("messages.send:devices=d1,,d2", "device id '' in 'messages.send:devices=d1,,d2' is missing");
    assertRefused("messages.send:devices=d 1", "device id 'd 1' in 'messages.send:devices=d 1' contains the character U+0020 at position 2");
    assertRefused("messages.send:tag=site", "the scope of 'messages.send:tag=site' must be tag=KEY=VALUE, "
        + "e.g. tag=site=plant-7");
    assertRefused("messages.send:tag==x", "must be tag=KEY=VALUE");
    assertRefused("messages.send:tag=bad key=x", "tag key 'bad key'");
  }

  @Test
  void repeatedPermissionsMergeTheirScopes() {
    List<Permit> merged = Permit.merge(List.of(
        Permit.parse("registry.read"),
        Permit.parse("messages.send:devices=d2"),
        Permit.parse("registry.read"),
        Permit.parse("messages.send:devices=d1"),
        Permit.parse("messages.send:tag=site=a")));

    assertThat(merged).containsExactly(
        new Permit("registry.read", Set.of(), Map.of()),
        new Permit("messages.send", Set.of("d1", "d2"), Map.of("site", "a")));
  }

  @Test
  void contradictingPermitsAreRefused() {
    assertThatThrownBy(() -> Permit.merge(List.of(Permit.parse("messages.send"), Permit.parse("messages.send:devices=d1"))))
        .hasMessage("messages.send is given both unscoped (every device) and scoped; drop one of them");
    assertThatThrownBy(() -> Permit.merge(List.of(
            Permit.parse("telemetry.read:tag=site=a"), Permit.parse("telemetry.read:tag=site=b"))))
        .hasMessageContaining("telemetry.read is scoped to tag site=a and site=b; a grant holds one value per tag key");
  }

  @Test
  void grantsRenderBackInPermitSyntax() throws Exception {
    var grant = new ObjectMapper().readTree(
        "{\"permission\":\"messages.send\",\"devices\":[\"d1\",\"odd,id\",\"d2\"],\"tags\":{\"site\":\"a\",\"line\":\"3\"}}");

    List<String> rendered = Permit.render(grant);

    assertThat(rendered).containsExactly("messages.send:devices=d1,d2", "messages.send:device=odd,id",
        "messages.send:tag=site=a", "messages.send:tag=line=3");
    assertThat(Permit.merge(rendered.stream().map(Permit::parse).toList()))
        .containsExactly(new Permit("messages.send", Set.of("d1", "d2", "odd,id"), Map.of("site", "a", "line", "3")));
    assertThat(Permit.render(new ObjectMapper().readTree("{\"permission\":\"admin\"}"))).containsExactly("admin");
    assertThat(Permit.render(new ObjectMapper().readTree("{\"permission\":\"admin\",\"devices\":[],\"tags\":{}}")))
        .containsExactly("admin");
  }

  private static void assertRefused(String text, String message) {
    assertThatThrownBy(() -> Permit.parse(text)).isInstanceOf(InvalidInputException.class).hasMessageContaining(message);
  }
}
