package io.gatehouse.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
  private final SecureRandom random = new SecureRandom();
  private final MasterKey master = MasterKey.generate(random);

  @Test
  void roundTripsAndHidesThePlaintext() {
    SecretBox box = master.secretBox(random);
    byte[] sealed = box.seal("top-secret-key".getBytes(StandardCharsets.UTF_8), "device/d1/primary");
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("top-secret-key");
    assertThat(new String(box.open(sealed, "device/d1/primary"), StandardCharsets.UTF_8)).isEqualTo("top-secret-key");
  }

  @Test
  void ciphertextMovedToAnotherRowDoesNotOpen() {
    SecretBox box = master.secretBox(random);
    byte[] sealed = box.seal(new byte[] {1, 2, 3}, "device/d1/primary");
    assertThatThrownBy(() -> box.open(sealed, "device/d2/primary"))
        .isInstanceOf(SecretBox.SecretBoxException.class).hasMessageContaining("does not open");
  }

  @Test
  void anotherMasterKeyDoesNotOpen() {
    byte[] sealed = master.secretBox(random).seal(new byte[] {1}, "x");
    assertThatThrownBy(() -> MasterKey.generate(random).secretBox(random).open(sealed, "x"))
        .isInstanceOf(SecretBox.SecretBoxException.class);
  }

  @Test
  void derivedKeysDifferByPurposeAndAreStable() {
    assertThat(master.derive("a")).isNotEqualTo(master.derive("b")).isEqualTo(master.derive("a"));
    assertThat(master.toString()).doesNotContain(java.util.HexFormat.of().formatHex(master.encoded()));
  }
}
