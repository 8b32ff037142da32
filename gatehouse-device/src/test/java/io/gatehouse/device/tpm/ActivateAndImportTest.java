package io.gatehouse.device.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.sas.SasException;
import io.gatehouse.core.sas.SasSigner;
import io.gatehouse.core.sas.SasToken;
import io.gatehouse.core.sas.SasVerifier;
import io.gatehouse.device.testing.Swtpm;
import io.gatehouse.device.testing.SwtpmExtension;
import io.gatehouse.device.testing.Swtpms;
import io.gatehouse.device.tpm.ActivationException.Reason;
import io.gatehouse.server.provisioning.tpm.AuthenticationKeyBlob;
import io.gatehouse.server.provisioning.tpm.AuthenticationKeyBlobBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server's blob builder and the device's import, against a real swtpm: the key the server
 * chose is the key the TPM computes with, and blobs that are not for this TPM, or were altered,
 * are refused with a reason while the earlier key stays.
 */
@ExtendWith(SwtpmExtension.class)
class ActivateAndImportTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);
  private final AuthenticationKeyBlobBuilder builder = new AuthenticationKeyBlobBuilder(RANDOM);

  @Test
  void theImportedKeyComputesTheSameHmacAsTheKeyInSoftware(Swtpms swtpms) throws Exception {
    byte[] key = randomKey();
    try (TpmIdentity identity = TpmIdentity.open(swtpms.start().connect())) {
      identity.activateAndImport(blobFor(identity, key));

      assertThat(identity.hasIdentityKey()).isTrue();
      assertThat(identity.hmac(ABC)).isEqualTo(SasSigner.softwareHmac(key).mac(ABC));
      byte[] empty = new byte[0];
      assertThat(identity.hmac(empty)).isEqualTo(SasSigner.softwareHmac(key).mac(empty));
      // Longer than the TPM's input buffer (1024 bytes): the HMAC runs as a sequence.
      byte[] long5k = new byte[5000];
      RANDOM.nextBytes(long5k);
      assertThat(identity.hmac(long5k)).isEqualTo(SasSigner.softwareHmac(key).mac(long5k));
    }
  }

  @Test
  void theKeyStaysAfterARestartOfTheTpm(Swtpms swtpms) throws Exception {
    byte[] key = randomKey();
    Swtpm swtpm = swtpms.start();
    try (TpmIdentity identity = TpmIdentity.open(swtpm.connect())) {
      identity.activateAndImport(blobFor(identity, key));
    }
    swtpm.restart();
    try (TpmIdentity identity = TpmIdentity.open(swtpm.connect())) {
      assertThat(identity.hasIdentityKey()).isTrue();
      assertThat(identity.hmac(ABC)).isEqualTo(SasSigner.softwareHmac(key).mac(ABC));
    }
  }

  @Test
  void aSasTokenSignedInTheTpmIsAcceptedByTheGatewaysVerifier(Swtpms swtpms) throws Exception {
    byte[] key = randomKey();
    Instant expiry = Instant.ofEpochSecond(1_900_000_000L);
    Clock beforeExpiry = Clock.fixed(expiry.minusSeconds(600), ZoneOffset.UTC);
    try (TpmIdentity identity = TpmIdentity.open(swtpms.start().connect())) {
      identity.activateAndImport(blobFor(identity, key));

      String token = identity.sasToken("gatehouse.test/devices/tpm-device-1", expiry);
      assertThat(token).startsWith("SharedAccessSignature sr=gatehouse.test%2Fdevices%2Ftpm-device-1&sig=");
      SasToken parsed = SasToken.parse(token);
      assertThat(new SasVerifier(beforeExpiry).verify(parsed, "gatehouse.test/devices/tpm-device-1", List.of(key)))
          .isZero();
      assertThat(token).isEqualTo(SasSigner.token("gatehouse.test/devices/tpm-device-1", key, expiry, null));

      // The DPS form (azure-iot-facts §4.4 item 5) verifies against the same key too.
      SasToken dps = SasToken.parse(identity.sasToken("0ne00000001/registrations/" + identity.registrationId(), expiry));
      new SasVerifier(beforeExpiry).verify(dps, "0ne00000001/registrations/" + identity.registrationId(), List.of(key));

      assertThatThrownBy(() -> new SasVerifier(beforeExpiry).verify(parsed, "gatehouse.test/devices/tpm-device-1",
          List.of(randomKey())))
          .isInstanceOfSatisfying(SasException.class, e -> assertThat(e.reason()).isEqualTo(SasException.Reason.BAD_SIGNATURE));
    }
  }

  @Test
  void aSecondBlobReplacesTheFirstKey(Swtpms swtpms) throws Exception {
    byte[] first = randomKey();
    byte[] second = randomKey();
    Swtpm swtpm = swtpms.start();
    AuthenticationKeyBlob secondBlob;
    try (TpmIdentity identity = TpmIdentity.open(swtpm.connect())) {
      identity.activateAndImport(blobFor(identity, first));
      secondBlob = builder.build(identity.endorsementKey(), identity.storageRootKey(), second, new byte[0]);
      identity.activateAndImport(secondBlob.bytes());
      assertThat(identity.hmac(ABC)).isEqualTo(SasSigner.softwareHmac(second).mac(ABC));
    }
    assertThat(swtpm.tpm2Tools("tpm2_getcap", "handles-persistent")).containsOnlyOnce("0x81000100");
    // The key the TPM keeps is the one the server made: tpm2-tools reports the Name the builder computed.
    assertThat(swtpm.tpm2Tools("tpm2_readpublic", "-c", "0x81000100"))
        .contains("name: " + HexFormat.of().formatHex(secondBlob.identityKeyName()));
  }

  @Test
  void aBlobMadeForAnotherTpmIsRefusedAndTheEarlierKeyStays(Swtpms swtpms) throws Exception {
    byte[] key = randomKey();
    byte[] otherEk;
    byte[] otherSrk;
    try (TpmIdentity other = TpmIdentity.open(swtpms.start().connect())) {
      otherEk = other.endorsementKey();
      otherSrk = other.storageRootKey();
    }
    try (TpmIdentity identity = TpmIdentity.open(swtpms.start().connect())) {
      identity.activateAndImport(blobFor(identity, key));

      byte[] forOther = builder.build(otherEk, otherSrk, randomKey(), new byte[0]).bytes();
      assertThatThrownBy(() -> identity.activateAndImport(forOther))
          .isInstanceOfSatisfying(ActivationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOR_THIS_TPM))
          .hasMessageContaining("made for another TPM's endorsement key or storage root key")
          .hasMessageContaining("ActivateCredential: TPM_RC_");

      // Our EK but another TPM's SRK: the credential names another storage key, so it is refused too.
      byte[] otherSrkOnly = builder.build(identity.endorsementKey(), otherSrk, randomKey(), new byte[0]).bytes();
      assertThatThrownBy(() -> identity.activateAndImport(otherSrkOnly))
          .isInstanceOfSatisfying(ActivationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOR_THIS_TPM));

      assertThat(identity.hmac(ABC)).isEqualTo(SasSigner.softwareHmac(key).mac(ABC));
    }
  }

  @Test
  void aBlobWithAnAlteredFieldIsRefusedCleanlyAndTheTpmStaysUsable(Swtpms swtpms) throws Exception {
    byte[] key = randomKey();
    try (TpmIdentity identity = TpmIdentity.open(swtpms.start().connect())) {
      identity.activateAndImport(blobFor(identity, key));
      byte[] blob = blobFor(identity, randomKey());
      int[] starts = fieldStarts(blob);

      // One bit flipped in the middle of each protected field.
      Reason[] expected = {Reason.NOT_FOR_THIS_TPM, Reason.NOT_FOR_THIS_TPM, Reason.IMPORT_REFUSED,
          Reason.IMPORT_REFUSED};
      for (int field = 0; field < expected.length; field++) {
        byte[] altered = blob.clone();
        int size = ((altered[starts[field]] & 0xff) << 8) | (altered[starts[field] + 1] & 0xff);
        altered[starts[field] + 2 + size / 2] ^= 0x01;
        Reason reason = expected[field];
        assertThatThrownBy(() -> identity.activateAndImport(altered))
            .as("field %d", field + 1)
            .isInstanceOfSatisfying(ActivationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
      }
      // A size field that runs past the end, and a blob cut short, never reach the TPM.
      byte[] badSize = blob.clone();
      badSize[starts[2]] = (byte) 0x7f;
      assertThatThrownBy(() -> identity.activateAndImport(badSize))
          .isInstanceOfSatisfying(ActivationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_BLOB))
          .hasMessageContaining("identity key duplicate (TPM2B_PRIVATE) declares");
      byte[] cut = Arrays.copyOf(blob, starts[4] + 3);
      assertThatThrownBy(() -> identity.activateAndImport(cut))
          .isInstanceOfSatisfying(ActivationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_BLOB));
      byte[] trailing = Arrays.copyOf(blob, blob.length + 1);
      assertThatThrownBy(() -> identity.activateAndImport(trailing))
          .hasMessageContaining("1 bytes after its six fields");

      // After all of that the TPM has no leftover sessions or objects, and the first key still signs.
      assertThat(identity.hmac(ABC)).isEqualTo(SasSigner.softwareHmac(key).mac(ABC));
      identity.activateAndImport(blob);
    }
  }

  @Test
  void anIdentityKeyThatCouldBeDuplicatedOutOfTheTpmIsRefused(Swtpms swtpms) throws Exception {
    try (TpmIdentity identity = TpmIdentity.open(swtpms.start().connect())) {
      byte[] blob = blobFor(identity, randomKey());
      int publicStart = fieldStarts(blob)[4];
      // TPMT_PUBLIC: type, nameAlg, attributes (8 bytes), then authPolicy's size: give it a 32-byte policy.
      byte[] withPolicy = withPolicy(blob, publicStart);
      assertThatThrownBy(() -> identity.activateAndImport(withPolicy))
          .isInstanceOfSatisfying(ActivationException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.UNSAFE_IDENTITY_KEY))
          .hasMessageContaining("duplicate it out of the TPM");
      assertThat(identity.hasIdentityKey()).isFalse();
    }
  }

  private byte[] blobFor(TpmIdentity identity, byte[] key) {
    return builder.build(identity.endorsementKey(), identity.storageRootKey(), key,
        "tpm-test".getBytes(StandardCharsets.US_ASCII)).bytes();
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return key;
  }

  /** Where each of the six TPM2B fields starts. */
  static int[] fieldStarts(byte[] blob) {
    int[] starts = new int[6];
    int at = 0;
    for (int i = 0; i < 6; i++) {
      starts[i] = at;
      at += 2 + (((blob[at] & 0xff) << 8) | (blob[at + 1] & 0xff));
    }
    assertThat(at).isEqualTo(blob.length);
    return starts;
  }

  private static byte[] withPolicy(byte[] blob, int publicStart) {
    int policyAt = publicStart + 2 + 8;
    byte[] policy = new byte[32];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(blob, 0, publicStart);
    int oldSize = ((blob[publicStart] & 0xff) << 8) | (blob[publicStart + 1] & 0xff);
    int newSize = oldSize + policy.length;
    out.write(newSize >>> 8);
    out.write(newSize);
    out.write(blob, publicStart + 2, policyAt - publicStart - 2);
    out.write(0);
    out.write(policy.length);
    out.writeBytes(policy);
    out.write(blob, policyAt + 2, blob.length - policyAt - 2);
    return out.toByteArray();
  }
}
