package io.gatehouse.core.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.identity.Authentication;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnrollmentTest {
  private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  private static final Attestation.SymmetricKey KEYS = new Attestation.SymmetricKey(KEY, KEY);

  private static Enrollment group(String pattern) {
    return new Enrollment(EnrollmentKind.GROUP, "line-7", KEYS, true, null, pattern, Map.of(), null, null, null, null,
        null);
  }

  @Test
  void aGroupPatternAdmitsMatchingRegistrationIdsOnly() {
    Enrollment group = group("line7-*");
    assertThat(group.admits("line7-sensor-1")).isTrue();
    assertThat(group.admits("LINE7-x")).isTrue();
    assertThat(group.admits("line7-")).isTrue();
    assertThat(group.admits("line8-sensor-1")).isFalse();
    assertThat(group.admits("xline7-a")).isFalse();
    assertThat(group("a.b*c").admits("aXbzc")).as("'.' is literal, not a regex wildcard").isFalse();
    assertThat(group(null).admits("anything")).isTrue();
  }

  @Test
  void individualEnrollmentsAreKeyedByTheLowerCaseRegistrationId() {
    Enrollment individual = new Enrollment(EnrollmentKind.INDIVIDUAL, "Pump-12", KEYS, true, null, null, null, null,
        null, null, null, null);
    assertThat(individual.id()).isEqualTo("pump-12");
    assertThat(individual.reprovisionPolicy()).isEqualTo(ReprovisionPolicy.MIGRATE);
  }

  @Test
  void attestationMustFitTheKind() {
    assertThatThrownBy(() -> new Enrollment(EnrollmentKind.GROUP, "g", new Attestation.Tpm(new byte[] {1}, null), true,
        null, null, null, null, null, null, null, null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("individual enrollment");
    assertThatThrownBy(() -> new Enrollment(EnrollmentKind.INDIVIDUAL, "d", new Attestation.X509Ca("factory"), true,
        null, null, null, null, null, null, null, null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("cannot use a CA");
    assertThatThrownBy(() -> new Enrollment(EnrollmentKind.GROUP, "g", KEYS, true, "dev", null, null, null, null, null,
        null, null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("deviceId applies to individual");
    assertThatThrownBy(() -> new Attestation.X509Thumbprints(new Authentication.X509Thumbprints("zz", null)))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void registrationIdsAllowDpsCharactersOnly() {
    assertThat(RegistrationIds.isValid("sn-007:888_abc.x")).isTrue();
    assertThat(RegistrationIds.isValid("a/b")).isFalse();
    assertThat(RegistrationIds.isValid("a".repeat(129))).isFalse();
    assertThatThrownBy(() -> RegistrationIds.requireValid("bad id"))
        .hasMessageContaining("U+0020").hasMessageContaining("position 4");
  }

  @Test
  void symmetricKeysNeverPrint() {
    assertThat(KEYS.toString()).doesNotContain(KEY);
  }

  @Test
  void idScopesLookLikeAzures() {
    IdScope scope = IdScope.generate(new java.security.SecureRandom());
    assertThat(scope.value()).matches("0ne[0-9A-F]{8}");
    assertThat(scope.matches(scope.value().toLowerCase())).isTrue();
    assertThatThrownBy(() -> new IdScope("0ne123")).isInstanceOf(InvalidInputException.class);
  }
}
