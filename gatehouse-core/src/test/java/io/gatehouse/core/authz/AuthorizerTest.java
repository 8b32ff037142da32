package io.gatehouse.core.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.identity.Authentication;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.core.identity.ServiceIdentity;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthorizerTest {
  private static final Authentication.SymmetricKeys KEYS =
      new Authentication.SymmetricKeys("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
  private final Authorizer authorizer = new Authorizer();

  @Test
  void deniesByDefault() {
    ServiceIdentity nobody = service(IdentityStatus.ENABLED, List.of());
    for (Permission p : Permission.values()) {
      Decision d = authorizer.check(nobody, p);
      assertThat(d.allowed()).isFalse();
      assertThat(((Decision.Deny) d).missing()).isEqualTo(p);
      assertThat(((Decision.Deny) d).reason()).contains("lacks the permission " + p.wireName());
    }
  }

  @Test
  void adminImpliesNothingElse() {
    ServiceIdentity admin = service(IdentityStatus.ENABLED, List.of(Grant.unscoped(Permission.ADMIN)));
    assertThat(authorizer.check(admin, Permission.ADMIN).allowed()).isTrue();
    assertThat(authorizer.check(admin, Permission.REGISTRY_WRITE).allowed()).isFalse();
    assertThat(authorizer.check(admin, Permission.AUDIT_READ).allowed()).isFalse();
  }

  @Test
  void disabledIdentityIsDeniedEverything() {
    ServiceIdentity disabled = service(IdentityStatus.DISABLED, List.of(Grant.unscoped(Permission.REGISTRY_READ)));
    assertThat(authorizer.check(disabled, Permission.REGISTRY_READ).allowed()).isFalse();
  }

  @Test
  void scopedGrantCoversListedDevicesAndTaggedDevicesOnly() {
    Grant send = new Grant(Permission.MESSAGES_SEND, Set.of("d1"), Map.of("site", "plant-7"));
    ServiceIdentity app = service(IdentityStatus.ENABLED, List.of(send));
    assertThat(authorizer.check(app, Permission.MESSAGES_SEND, device("d1", Map.of())).allowed()).isTrue();
    assertThat(authorizer.check(app, Permission.MESSAGES_SEND, device("d2", Map.of("site", "plant-7"))).allowed()).isTrue();
    Decision other = authorizer.check(app, Permission.MESSAGES_SEND, device("d3", Map.of("site", "plant-8")));
    assertThat(other.allowed()).isFalse();
    assertThat(((Decision.Deny) other).reason()).contains("only for some devices").contains("'d3'");
    assertThat(authorizer.checkUnscoped(app, Permission.MESSAGES_SEND).allowed()).isFalse();
  }

  @Test
  void onlySendAndTelemetryCanBeScopedAndEachPermissionOnce() {
    assertThatThrownBy(() -> new Grant(Permission.REGISTRY_WRITE, Set.of("d1"), Map.of()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("cannot be scoped");
    assertThatThrownBy(() -> Grant.copyValid(List.of(Grant.unscoped(Permission.ADMIN), Grant.unscoped(Permission.ADMIN))))
        .hasMessageContaining("granted twice");
  }

  @Test
  void wireNamesRoundTrip() {
    for (Permission p : Permission.values()) {
      assertThat(Permission.fromWire(p.wireName())).isEqualTo(p);
    }
    assertThatThrownBy(() -> Permission.fromWire("root")).hasMessageContaining("registry.read");
  }

  private static ServiceIdentity service(IdentityStatus status, List<Grant> grants) {
    return new ServiceIdentity("app", status, KEYS, grants, "e", null, null);
  }

  private static Device device(String id, Map<String, String> tags) {
    return new Device(id, IdentityKind.DEVICE, IdentityStatus.ENABLED, null, KEYS, null, tags, "e", null, null, null);
  }
}
