package io.gatehouse.server.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Checks that a private key belongs to a certificate by signing a probe with the key and verifying
 * it with the certificate's public key; this works for every key type without comparing encodings.
 */
final class KeyMatch {
  private static final byte[] PROBE = "gatehouse key/certificate probe".getBytes(StandardCharsets.US_ASCII);

  private KeyMatch() {}

  static boolean matches(PrivateKey key, PublicKey publicKey) {
    String algorithm = signatureAlgorithm(publicKey);
    if (algorithm == null || !sameFamily(key, publicKey)) {
      return false;
    }
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(PROBE);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      // e.g. an EC key on a different curve: not a match, however the provider phrases it.
      return false;
    }
  }

  /** Refuses a key that is not the first certificate's, naming both files and the likely mistake. */
  static void require(PrivateKey key, List<X509Certificate> chain, Path keyFile, Path certificateFile) {
    X509Certificate leaf = chain.get(0);
    PublicKey leafKey = leaf.getPublicKey();
    if (signatureAlgorithm(leafKey) == null) {
      throw new TlsConfigurationException("the certificate in " + certificateFile + " has a " + leafKey.getAlgorithm()
          + " key; only EC, RSA and EdDSA server keys are supported");
    }
    if (!sameFamily(key, leafKey)) {
      throw new TlsConfigurationException("the private key in " + keyFile + " is a " + key.getAlgorithm()
          + " key but the certificate in " + certificateFile + " holds a " + leafKey.getAlgorithm()
          + " public key; they do not belong together");
    }
    if (matches(key, leafKey)) {
      return;
    }
    for (int i = 1; i < chain.size(); i++) {
      if (matches(key, chain.get(i).getPublicKey())) {
        throw new TlsConfigurationException("the private key in " + keyFile + " belongs to certificate #" + (i + 1)
            + " in " + certificateFile + " (" + chain.get(i).getSubjectX500Principal().getName()
            + "); put the server certificate first in that file");
      }
    }
    throw new TlsConfigurationException("the private key in " + keyFile + " does not match the certificate in "
        + certificateFile + " (" + leaf.getSubjectX500Principal().getName() + "); check that both files are from"
        + " the same key pair");
  }

  private static boolean sameFamily(PrivateKey key, PublicKey publicKey) {
    return family(key.getAlgorithm()).equals(family(publicKey.getAlgorithm()));
  }

  private static String family(String algorithm) {
    return switch (algorithm) {
      case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
      default -> algorithm;
    };
  }

  private static String signatureAlgorithm(PublicKey publicKey) {
    return switch (publicKey.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "EdDSA", "Ed25519", "Ed448" -> publicKey.getAlgorithm();
      default -> null;
    };
  }
}
