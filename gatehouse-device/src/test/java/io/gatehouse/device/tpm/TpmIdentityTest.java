package io.gatehouse.device.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.device.keys.KeyStoreKind;
import io.gatehouse.device.testing.Swtpm;
import io.gatehouse.device.testing.SwtpmExtension;
import io.gatehouse.device.testing.Swtpms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tss.tpm.TPM2B_PUBLIC;
import tss.tpm.TPMS_RSA_PARMS;
import tss.tpm.TPM_ALG_ID;

/** Opening a TPM creates the EK, SRK and signing key once; they survive a restart; tpm2-tools sees the same keys. */
@ExtendWith(SwtpmExtension.class)
class TpmIdentityTest {

  @Test
  void createsTheKeysOnceAndFindsTheSameOnesAfterARestart(Swtpms swtpms) throws Exception {
    Swtpm swtpm = swtpms.start();
    byte[] ek;
    byte[] srk;
    byte[] signing;
    try (TpmIdentity identity = TpmIdentity.open(swtpm.connect())) {
      ek = identity.endorsementKey();
      srk = identity.storageRootKey();
      signing = identity.signingPublicKey().getEncoded();
      assertThat(identity.kind()).isEqualTo(KeyStoreKind.TPM);
      assertThat(identity.hasIdentityKey()).isFalse();
    }
    swtpm.restart();
    try (TpmIdentity identity = TpmIdentity.open(swtpm.connect())) {
      assertThat(identity.endorsementKey()).isEqualTo(ek);
      assertThat(identity.storageRootKey()).isEqualTo(srk);
      assertThat(identity.signingPublicKey().getEncoded()).isEqualTo(signing);
    }
    // Exactly one key at each handle, as tpm2-tools reports them.
    assertThat(swtpm.tpm2Tools("tpm2_getcap", "handles-persistent").lines().map(String::strip))
        .containsExactly("- 0x81000001", "- 0x81000101", "- 0x81010001");
  }

  @Test
  void theEndorsementAndStorageKeysAreWhatTheTpmHoldsAsTpm2ToolsReadsThem(Swtpms swtpms, @TempDir Path dir)
      throws Exception {
    Swtpm swtpm = swtpms.start();
    byte[] ek;
    byte[] srk;
    try (TpmIdentity identity = TpmIdentity.open(swtpm.connect())) {
      ek = identity.endorsementKey();
      srk = identity.storageRootKey();
    }
    swtpm.tpm2Tools("tpm2_readpublic", "-c", "0x81010001", "-f", "tss", "-o", dir.resolve("ek.pub").toString());
    swtpm.tpm2Tools("tpm2_readpublic", "-c", "0x81000001", "-f", "tss", "-o", dir.resolve("srk.pub").toString());
    assertThat(Files.readAllBytes(dir.resolve("ek.pub"))).isEqualTo(ek);
    assertThat(Files.readAllBytes(dir.resolve("srk.pub"))).isEqualTo(srk);

    var ekArea = TPM2B_PUBLIC.fromBytes(ek).publicArea;
    assertThat(ekArea.type()).isEqualTo(TPM_ALG_ID.RSA);
    assertThat(((TPMS_RSA_PARMS) ekArea.parameters).keyBits).isEqualTo(2048);
    assertThat(ekArea.authPolicy).isEqualTo(KeyTemplates.ekPolicy());
  }

  @Test
  void theRegistrationIdIsLowercaseBase32OfTheEndorsementKeysSha256(Swtpms swtpms) throws Exception {
    try (TpmIdentity identity = TpmIdentity.open(swtpms.start().connect())) {
      String id = identity.registrationId();
      assertThat(id).matches("[a-z2-7]{52}");
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.endorsementKey());
      // Independent check: decode with a base32 reading of our own alphabet back to the digest.
      assertThat(base32Decode(id)).isEqualTo(digest);
      assertThat(id).matches("^[a-z0-9-]{1,128}$");
    }
  }

  @Test
  void withoutAnIdentityKeyHmacSaysWhatToDo(Swtpms swtpms) throws Exception {
    try (TpmIdentity identity = TpmIdentity.open(swtpms.start().connect())) {
      assertThatThrownBy(() -> identity.hmac("abc".getBytes()))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("activateAndImport");
    }
  }

  @Test
  void anEndorsementKeyAlreadyInTheTpmIsUsedNotReplaced(Swtpms swtpms, @TempDir Path dir) throws Exception {
    Swtpm swtpm = swtpms.start();
    // tpm2-tools creates the TCG default EK the way a vendor's provisioning would.
    swtpm.tpm2Tools("tpm2_createek", "-c", "0x81010001", "-G", "rsa", "-u", dir.resolve("ek.pub").toString(),
        "-f", "tss");
    try (TpmIdentity identity = TpmIdentity.open(swtpm.connect())) {
      assertThat(identity.endorsementKey()).isEqualTo(Files.readAllBytes(dir.resolve("ek.pub")));
    }
  }

  @Test
  void aTpmWhoseOwnerHierarchyHasAPasswordIsExplained(Swtpms swtpms) throws Exception {
    Swtpm swtpm = swtpms.start();
    swtpm.tpm2Tools("tpm2_changeauth", "-c", "owner", "owner-secret");
    assertThatThrownBy(() -> TpmIdentity.open(swtpm.connect()))
        .isInstanceOf(TpmCommandException.class)
        // Making a key persistent is the owner's to authorise: the first one, the EK, is refused.
        .hasMessageContaining("EvictControl failed")
        .hasMessageContaining("TPM_RC_BAD_AUTH")
        .hasMessageContaining("making the endorsement key persistent at 0x81010001")
        .hasMessageContaining("owner hierarchy with an empty authorization")
        .hasMessageNotContaining("owner-secret");
  }

  private static byte[] base32Decode(String text) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : text.toCharArray()) {
      buffer = (buffer << 5) | alphabet.indexOf(c);
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >>> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return out.toByteArray();
  }
}
