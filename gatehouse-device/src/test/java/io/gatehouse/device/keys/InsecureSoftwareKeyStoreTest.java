package io.gatehouse.device.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.sas.SasSigner;
import io.gatehouse.core.sas.SasToken;
import io.gatehouse.core.sas.SasVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The development store does what the TPM does, behind the same interface, and says everywhere that it is insecure. */
class InsecureSoftwareKeyStoreTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void namesItselfInsecure() {
    try (DeviceKeys keys = InsecureSoftwareKeyStore.create(key(), RANDOM)) {
      assertThat(keys.kind()).isEqualTo(KeyStoreKind.INSECURE_SOFTWARE);
      assertThat(keys.kind().isInsecure()).isTrue();
      assertThat(keys.kind().wireName()).isEqualTo("insecure-software");
      assertThat(KeyStoreKind.TPM.isInsecure()).isFalse();
      assertThat(keys.toString()).contains("development only");
    }
  }

  @Test
  void signsSasTokensAndProofsOfPossessionLikeTheTpm() throws Exception {
    byte[] identityKey = key();
    Instant expiry = Instant.ofEpochSecond(1_900_000_000L);
    try (DeviceKeys keys = InsecureSoftwareKeyStore.create(identityKey, RANDOM)) {
      String token = keys.sasToken("gatehouse.test/devices/dev-1", expiry);
      new SasVerifier(Clock.fixed(expiry.minusSeconds(60), ZoneOffset.UTC))
          .verify(SasToken.parse(token), "gatehouse.test/devices/dev-1", List.of(identityKey));
      assertThat(keys.hmac("abc".getBytes())).isEqualTo(SasSigner.softwareHmac(identityKey).mac("abc".getBytes()));

      byte[] message = "nonce".getBytes(StandardCharsets.UTF_8);
      byte[] signature = keys.sign(MessageDigest.getInstance("SHA-256").digest(message));
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(keys.signingPublicKey());
      verifier.update(message);
      assertThat(verifier.verify(signature)).isTrue();
    }
  }

  @Test
  void savesToAnOwnerOnlyFileAndLoadsTheSameKeys(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("device.keys");
    byte[] identityKey = key();
    InsecureSoftwareKeyStore saved = InsecureSoftwareKeyStore.create(identityKey, RANDOM);
    saved.save(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readString(file)).contains("INSECURE").contains("kind=insecure-software");
    assertThatThrownBy(() -> saved.save(file)).isInstanceOf(FileAlreadyExistsException.class);

    try (InsecureSoftwareKeyStore loaded = InsecureSoftwareKeyStore.load(file)) {
      assertThat(loaded.hmac(new byte[] {1})).isEqualTo(saved.hmac(new byte[] {1}));
      assertThat(loaded.signingPublicKey().getEncoded()).isEqualTo(saved.signingPublicKey().getEncoded());
    }
  }

  @Test
  void refusesAFileOthersCanReadOrADamagedOne(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("device.keys");
    InsecureSoftwareKeyStore.create(key(), RANDOM).save(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> InsecureSoftwareKeyStore.load(file)).hasMessageContaining("chmod 600");

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    String secret = Files.readAllLines(file).stream().filter(l -> l.startsWith("signingPrivateKey=")).findFirst()
        .orElseThrow();
    Files.writeString(file, Files.readString(file).replace(secret, "signingPrivateKey=AAAA"));
    assertThatThrownBy(() -> InsecureSoftwareKeyStore.load(file))
        .hasMessageContaining("holds a damaged key").hasMessageNotContaining("AAAA");
  }

  @Test
  void refusesAnIdentityKeyOfTheWrongSize() {
    assertThatThrownBy(() -> InsecureSoftwareKeyStore.create(new byte[16], RANDOM))
        .hasMessageContaining("must be 32 bytes, got 16");
  }

  private static byte[] key() {
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    return k;
  }
}
