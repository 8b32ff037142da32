package io.gatehouse.server.provisioning.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.InvalidInputException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The blob's layout and the builder's input checks. That a TPM really imports what it builds is
 * tested against swtpm in gatehouse-device ({@code ActivateAndImportTest}).
 */
class AuthenticationKeyBlobBuilderTest {
  private final AuthenticationKeyBlobBuilder builder = new AuthenticationKeyBlobBuilder(new SecureRandom());

  @Test
  void isSixTpm2bFieldsSizedForTheseKeys() throws Exception {
    byte[] key = new byte[32];
    AuthenticationKeyBlob blob = builder.build(RsaStorageKeyTest.EK, RsaStorageKeyTest.SRK, key, "0ne00000001".getBytes());
    List<byte[]> fields = split(blob.bytes());

    assertThat(fields).hasSize(6);
    assertThat(fields.get(0)).hasSize(2 + 32 + 2 + 16);   // TPMS_ID_OBJECT: HMAC, encrypted TPM2B of the 16-byte inner key
    assertThat(fields.get(1)).hasSize(256);               // RSA-2048 OAEP to the EK
    // outer HMAC; inner integrity; TPM2B of TPMT_SENSITIVE (type, empty authValue, 32-byte seedValue, 32-byte key)
    assertThat(fields.get(2)).hasSize((2 + 32) + (2 + 32) + 2 + (2 + 2 + (2 + 32) + (2 + 32)));
    assertThat(fields.get(3)).hasSize(256);               // RSA-2048 OAEP to the SRK
    assertThat(fields.get(5)).hasSize("0ne00000001".length());

    // The identity key's public area: KEYEDHASH, SHA-256, sign|userWithAuth|noDA, no policy, HMAC-SHA256.
    byte[] publicArea = fields.get(4);
    assertThat(HexFormat.of().formatHex(publicArea, 0, 16)).isEqualTo("0008" + "000b" + "00040440" + "0000" + "0005"
        + "000b" + "0020");
    assertThat(publicArea).hasSize(16 + 32);
    byte[] name = ByteBuffer.allocate(34).putShort((short) 0x000b)
        .put(MessageDigest.getInstance("SHA-256").digest(publicArea)).array();
    assertThat(blob.identityKeyName()).isEqualTo(name);
    assertThat(Base64.getDecoder().decode(blob.base64())).isEqualTo(blob.bytes());
    assertThat(blob.toString()).doesNotContain(blob.base64());
  }

  @Test
  void everyBlobIsFreshlyRandomisedEvenForTheSameKey() {
    byte[] key = new byte[32];
    List<byte[]> a = split(builder.build(RsaStorageKeyTest.EK, RsaStorageKeyTest.SRK, key, new byte[0]).bytes());
    List<byte[]> b = split(builder.build(RsaStorageKeyTest.EK, RsaStorageKeyTest.SRK, key, new byte[0]).bytes());
    for (int i = 0; i < 5; i++) {
      assertThat(a.get(i)).as("field %d", i + 1).isNotEqualTo(b.get(i));
    }
  }

  @Test
  void refusesBadInputWithThePreciseReason() {
    byte[] key = new byte[32];
    assertThatThrownBy(() -> builder.build(RsaStorageKeyTest.ECC_EK, RsaStorageKeyTest.SRK, key, new byte[0]))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("endorsementKey: has key type ECC");
    assertThatThrownBy(() -> builder.build(RsaStorageKeyTest.EK, new byte[] {1, 2, 3}, key, new byte[0]))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("storageRootKey:");
    assertThatThrownBy(() -> builder.build(RsaStorageKeyTest.EK, RsaStorageKeyTest.SRK, new byte[16], new byte[0]))
        .isInstanceOf(InvalidInputException.class).hasMessage("identity key must be 32 bytes, got 16");
    assertThatThrownBy(() -> builder.build(RsaStorageKeyTest.EK, RsaStorageKeyTest.SRK, key, new byte[49]))
        .isInstanceOf(InvalidInputException.class).hasMessage("opaque data is 49 bytes; at most 48");
  }

  @Test
  void kdfaMatchesAnIndependentImplementation() {
    // Computed with Python's hmac module from TPM 2.0 Part 1 §11.4.10.2 (counter, label, 0x00, contextU, contextV, bits).
    byte[] key = new byte[32];
    for (int i = 0; i < 32; i++) {
      key[i] = (byte) i;
    }
    byte[] name = new byte[34];
    name[1] = 0x0b;
    assertThat(HexFormat.of().formatHex(TpmCrypto.kdfa(key, "STORAGE", name, new byte[0], 128)))
        .isEqualTo("4535165c7f0dc2bd1abef241c5893af0");
    assertThat(HexFormat.of().formatHex(TpmCrypto.kdfa(key, "INTEGRITY", new byte[0], new byte[0], 256)))
        .isEqualTo("bacf689f634ece301e1f1b15b072d9c87db6a69585db42b1a0cb8f73ebe2692e");
    assertThat(HexFormat.of().formatHex(TpmCrypto.kdfa(key, "XYZ", "ab".getBytes(), "cd".getBytes(), 384)))
        .isEqualTo("6113a5fc0e5d80b166dd19f8bedfcba22c4a6081e144ba2fff5ed176180201223b9c60afe197d1643685b3ea8cdce87b");
  }

  private static List<byte[]> split(byte[] blob) {
    List<byte[]> fields = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(blob);
    while (in.hasRemaining()) {
      byte[] field = new byte[in.getShort() & 0xffff];
      in.get(field);
      fields.add(field);
    }
    return fields;
  }
}
