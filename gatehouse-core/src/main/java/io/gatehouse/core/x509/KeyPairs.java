package io.gatehouse.core.x509;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Whether a private key belongs to a certificate: the key signs a probe and the certificate's public
 * key verifies it, which works for every key type without comparing encodings (and for a key that
 * never leaves its store, such as a TPM's, as long as its provider can sign).
 */
public final class KeyPairs {
  private static final byte[] PROBE = "gatehouse key/certificate probe".getBytes(StandardCharsets.US_ASCII);

  private KeyPairs() {}

  public static boolean matches(PrivateKey key, PublicKey publicKey) {
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

  /**
   * Refuses a key that is not the first certificate's, naming both sources and the likely mistake.
   *
   * @param role whose certificate this is, for the messages: "server", "client"
   */
  public static void requireMatch(PrivateKey key, List<X509Certificate> chain, String keySource, String chainSource,
      String role) {
    X509Certificate leaf = chain.get(0);
    PublicKey leafKey = leaf.getPublicKey();
    if (signatureAlgorithm(leafKey) == null) {
      throw new KeyMaterialException("the certificate in " + chainSource + " has a " + leafKey.getAlgorithm()
          + " key; only EC, RSA and EdDSA " + role + " keys are supported");
    }
    if (!sameFamily(key, leafKey)) {
      throw new KeyMaterialException("the private key in " + keySource + " is a " + key.getAlgorithm()
          + " key but the certificate in " + chainSource + " holds a " + leafKey.getAlgorithm()
          + " public key; they do not belong together");
    }
    if (matches(key, leafKey)) {
      return;
    }
    for (int i = 1; i < chain.size(); i++) {
      if (matches(key, chain.get(i).getPublicKey())) {
        throw new KeyMaterialException("the private key in " + keySource + " belongs to certificate #" + (i + 1)
            + " in " + chainSource + " (" + chain.get(i).getSubjectX500Principal().getName()
            + "); put the " + role + " certificate first in that file");
      }
    }
    throw new KeyMaterialException("the private key in " + keySource + " does not match the certificate in "
        + chainSource + " (" + leaf.getSubjectX500Principal().getName() + "); check that both files are from"
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
