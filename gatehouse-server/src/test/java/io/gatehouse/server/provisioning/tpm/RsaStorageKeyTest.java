package io.gatehouse.server.provisioning.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Parsing the EK and SRK a device sends. The vectors are real: swtpm 0.7.1's EK (RSA-2048 and ECC
 * P-384) and SRK after {@code swtpm_setup --create-ek-cert --create-spk}, read with
 * {@code tpm2_readpublic -f tss}; the expected Names are the ones tpm2_readpublic printed.
 */
class RsaStorageKeyTest {
  static final byte[] EK = resource("swtpm-rsa-ek.tpm2b");
  static final byte[] SRK = resource("swtpm-srk.tpm2b");
  static final byte[] ECC_EK = resource("swtpm-ecc-p384-ek.tpm2b");

  @Test
  void computesTheSameNameAsTpm2Tools() {
    assertThat(HexFormat.of().formatHex(RsaStorageKey.parse("endorsementKey", EK).name()))
        .isEqualTo("000b002cdf67e8063d99bde7b5fe580af9df4666681f69a6ce8f1286d3efbd576876");
    assertThat(HexFormat.of().formatHex(RsaStorageKey.parse("storageRootKey", SRK).name()))
        .isEqualTo("000bee533ea98119a4c4bf4e99d19f70a55807cf1f8b8c758acc514ecb1f0549d714");
  }

  @Test
  void readsTheRsaKeyAndItsSymmetricDefinition() {
    RsaStorageKey ek = RsaStorageKey.parse("endorsementKey", EK);
    assertThat(ek.keyBits()).isEqualTo(2048);
    assertThat(ek.symmetricKeyBits()).isEqualTo(128);
    assertThat(ek.publicKey().getPublicExponent().intValue()).isEqualTo(65537);
    assertThat(ek.publicKey().getModulus().toString(16)).startsWith("caccf91f4655");
    assertThat(HexFormat.of().formatHex(ek.authPolicy()))
        .isEqualTo("837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa");
  }

  @Test
  void refusesOtherKeyTypesAndSizesWithTheReason() {
    assertRefused(ECC_EK, "has key type ECC; an RSA key is needed");
    assertRefused(patch(EK, 4, 0x00, 0x04), "has name algorithm SHA-1; only SHA-256 is supported");
    assertRefused(patch(EK, 6, 0x00, 0x07, 0x00, 0xb2), "a restricted decryption key (restricted, decrypt, not sign)");
    assertRefused(patch(EK, 48, 0x00, 0x44), "has symmetric definition AES-128-CBC");
    assertRefused(patch(EK, 50, 0x00, 0x17), "has scheme 0x0017; a storage or endorsement key has the NULL scheme");
    assertRefused(patch(EK, 52, 0x04, 0x00), "is an RSA-1024 key; RSA-2048 or RSA-3072 is needed");
    assertRefused(patch(EK, 54, 0x00, 0x00, 0x00, 0x02), "RSA exponent 2, which is not a valid public exponent");
  }

  @Test
  void refusesMalformedStructuresNamingWhatIsWrong() {
    assertRefused(null, "no TPM2B_PUBLIC was given");
    assertRefused(new byte[0], "no TPM2B_PUBLIC was given");
    assertRefused(new byte[] {0x00}, "ends while reading TPM2B_PUBLIC size");
    assertRefused(new byte[] {0x00, 0x00}, "TPM2B_PUBLIC is empty");
    byte[] cut = Arrays.copyOf(EK, EK.length - 10);
    assertRefused(cut, "ends while reading TPM2B_PUBLIC (314 bytes needed, 304 left)");
    byte[] cutInside = patch(cut, 0, 0x01, 0x30);
    assertRefused(cutInside, "ends while reading RSA modulus (256 bytes needed, 246 left)");
    assertRefused(Arrays.copyOf(EK, EK.length + 1), "TPM2B_PUBLIC has 1 unexpected bytes after its end");
    byte[] longer = patch(Arrays.copyOf(EK, EK.length + 1), 0, 0x01, 0x3b);
    assertRefused(longer, "TPMT_PUBLIC has 1 unexpected bytes after its end");
    assertRefused(patch(EK, 58, 0x01, 0x01), "RSA modulus is 257 bytes; at most 256 are allowed");
  }

  static void assertRefused(byte[] tpm2bPublic, String message) {
    assertThatThrownBy(() -> RsaStorageKey.parse("endorsementKey", tpm2bPublic))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("endorsementKey")
        .hasMessageContaining(message);
  }

  static byte[] patch(byte[] bytes, int offset, int... values) {
    byte[] copy = bytes.clone();
    for (int i = 0; i < values.length; i++) {
      copy[offset + i] = (byte) values[i];
    }
    return copy;
  }

  static byte[] resource(String name) {
    try (InputStream in = RsaStorageKeyTest.class.getResourceAsStream("/tpm/" + name)) {
      return in.readAllBytes();
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("test vector /tpm/" + name + " is missing", e);
    }
  }
}
