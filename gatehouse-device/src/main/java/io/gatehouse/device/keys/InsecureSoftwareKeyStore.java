package io.gatehouse.device.keys;

import io.gatehouse.core.sas.SasSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Properties;
import java.util.Set;

/**
 * Device keys in this process's memory, and in a file readable by its owner only: for development
 * on machines without a TPM. <b>Insecure by design</b>: whoever copies the file is the device. Its
 * {@link #kind()} says so, and so does every name it appears under, so a certification report can
 * flag a device that uses it.
 */
public final class InsecureSoftwareKeyStore implements DeviceKeys {
  private static final int IDENTITY_KEY_BYTES = 32;
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private final byte[] identityKey;
  private final KeyPair signingKeys;

  private InsecureSoftwareKeyStore(byte[] identityKey, KeyPair signingKeys) {
    this.identityKey = identityKey.clone();
    this.signingKeys = signingKeys;
  }

  /** A store holding {@code identityKey} (the device's symmetric key) and a new P-256 signing key. */
  public static InsecureSoftwareKeyStore create(byte[] identityKey, SecureRandom random) {
    checkIdentityKey(identityKey);
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      return new InsecureSoftwareKeyStore(identityKey, generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is unavailable in this JVM", e);
    }
  }

  /** Writes both keys to {@code file} with mode 0600, creating it; an existing file is refused. */
  public void save(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("kind", kind().wireName());
    p.setProperty("identityKey", Base64.getEncoder().encodeToString(identityKey));
    p.setProperty("signingPrivateKey", Base64.getEncoder().encodeToString(signingKeys.getPrivate().getEncoded()));
    p.setProperty("signingPublicKey", Base64.getEncoder().encodeToString(signingKeys.getPublic().getEncoded()));
    Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING)) {
      p.store(out, "Gatehouse INSECURE software key store: development only. Whoever copies this file is the device.");
    }
  }

  /** Reads a file {@link #save} wrote; refuses one that others can read. */
  public static InsecureSoftwareKeyStore load(Path file) throws IOException {
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    if (!OWNER_ONLY.containsAll(permissions)) {
      throw new IOException(file + " holds device keys but its mode is "
          + PosixFilePermissions.toString(permissions) + "; run chmod 600 on it");
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    if (!KeyStoreKind.INSECURE_SOFTWARE.wireName().equals(p.getProperty("kind"))) {
      throw new IOException(file + " is not an insecure software key store (kind=" + p.getProperty("kind") + ")");
    }
    try {
      byte[] identityKey = Base64.getDecoder().decode(required(p, "identityKey", file));
      checkIdentityKey(identityKey);
      KeyFactory ec = KeyFactory.getInstance("EC");
      ECPrivateKey privateKey = (ECPrivateKey) ec.generatePrivate(
          new PKCS8EncodedKeySpec(Base64.getDecoder().decode(required(p, "signingPrivateKey", file))));
      ECPublicKey publicKey = (ECPublicKey) ec.generatePublic(
          new X509EncodedKeySpec(Base64.getDecoder().decode(required(p, "signingPublicKey", file))));
      return new InsecureSoftwareKeyStore(identityKey, new KeyPair(publicKey, privateKey));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      // The cause may quote key material; only its type is reported.
      throw new IOException(file + " holds a damaged key (" + e.getClass().getSimpleName() + ")");
    }
  }

  @Override
  public KeyStoreKind kind() {
    return KeyStoreKind.INSECURE_SOFTWARE;
  }

  @Override
  public byte[] hmac(byte[] data) {
    return SasSigner.softwareHmac(identityKey).mac(data);
  }

  @Override
  public ECPublicKey signingPublicKey() {
    return (ECPublicKey) signingKeys.getPublic();
  }

  @Override
  public byte[] sign(byte[] sha256Digest) {
    if (sha256Digest == null || sha256Digest.length != 32) {
      throw new IllegalArgumentException("sign takes a SHA-256 digest (32 bytes), got "
          + (sha256Digest == null ? "none" : sha256Digest.length + " bytes"));
    }
    try {
      // NONEwithECDSA signs the digest as given, as the TPM does; the result is DER like SHA256withECDSA's.
      Signature signature = Signature.getInstance("NONEwithECDSA");
      signature.initSign(signingKeys.getPrivate());
      signature.update(sha256Digest);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ECDSA signing failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    Arrays.fill(identityKey, (byte) 0);
  }

  @Override
  public String toString() {
    return "InsecureSoftwareKeyStore[development only]";
  }

  private static String required(Properties p, String name, Path file) throws IOException {
    String value = p.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IOException(file + " has no " + name);
    }
    return value;
  }

  private static void checkIdentityKey(byte[] key) {
    if (key == null || key.length != IDENTITY_KEY_BYTES) {
      throw new IllegalArgumentException("the identity key must be " + IDENTITY_KEY_BYTES + " bytes, got "
          + (key == null ? "none" : key.length));
    }
  }
}
