package io.gatehouse.device.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.device.testing.SwtpmExtension;
import io.gatehouse.device.testing.Swtpms;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The P-256 proof-of-possession key signs inside the TPM; the JDK verifies what it signs. */
@ExtendWith(SwtpmExtension.class)
class SigningKeyTest {

  @Test
  void signaturesMadeInTheTpmVerifyWithTheJdk(Swtpms swtpms) throws Exception {
    byte[] message = "proof of possession: nonce 8c1f".getBytes(StandardCharsets.UTF_8);
    try (TpmIdentity identity = TpmIdentity.open(swtpms.start().connect())) {
      assertThat(identity.signingPublicKey().getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
      byte[] signature = identity.sign(MessageDigest.getInstance("SHA-256").digest(message));

      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(identity.signingPublicKey());
      verifier.update(message);
      assertThat(verifier.verify(signature)).isTrue();

      verifier.initVerify(identity.signingPublicKey());
      verifier.update("another message".getBytes(StandardCharsets.UTF_8));
      assertThat(verifier.verify(signature)).isFalse();
    }
  }

  @Test
  void theSigningKeyIsOnP256AndIsNotTheIdentityOfAnotherTpm(Swtpms swtpms) throws Exception {
    AlgorithmParameters p256 = AlgorithmParameters.getInstance("EC");
    p256.init(new ECGenParameterSpec("secp256r1"));
    try (TpmIdentity a = TpmIdentity.open(swtpms.start().connect());
        TpmIdentity b = TpmIdentity.open(swtpms.start().connect())) {
      assertThat(a.signingPublicKey().getParams().getOrder())
          .isEqualTo(p256.getParameterSpec(ECParameterSpec.class).getOrder());
      assertThat(a.signingPublicKey().getEncoded()).isNotEqualTo(b.signingPublicKey().getEncoded());
    }
  }

  @Test
  void refusesAnythingButASha256Digest(Swtpms swtpms) throws Exception {
    try (TpmIdentity identity = TpmIdentity.open(swtpms.start().connect())) {
      assertThatThrownBy(() -> identity.sign("not a digest".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    }
  }
}
