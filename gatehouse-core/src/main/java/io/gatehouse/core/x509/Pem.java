package io.gatehouse.core.x509;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Certificate chains and private keys from PEM text, as operators' tools write them (one parser for
 * the service gateway's TLS files and the field gateway's client certificate). BouncyCastle only
 * parses; keys and certificates are built by the JDK's own providers, so no global security
 * provider is installed. Reading the files is the caller's business: this class does no I/O.
 */
public final class Pem {
  private Pem() {}

  /**
   * All certificates in {@code text}, in order; other blocks (e.g. a key) are skipped.
   *
   * @param source where the text came from, for the messages (e.g. a file name)
   */
  public static List<X509Certificate> certificates(String text, String source) {
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    List<X509Certificate> certificates = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
        if (block instanceof X509CertificateHolder holder) {
          certificates.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException | CertificateException e) {
      throw new KeyMaterialException("cannot read certificates from " + source + ": " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new KeyMaterialException("no '-----BEGIN CERTIFICATE-----' block in " + source
          + " (DER files are not supported; convert with 'openssl x509 -inform der')");
    }
    return List.copyOf(certificates);
  }

  /** The first private key in {@code text}: PKCS#8, SEC1 ("EC PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY"). */
  public static PrivateKey privateKey(String text, String source) {
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
        switch (block) {
          case PrivateKeyInfo info -> {
            return toPrivateKey(info, source);
          }
          case PEMKeyPair pair -> {
            return toPrivateKey(pair.getPrivateKeyInfo(), source);
          }
          case PEMEncryptedKeyPair ignored -> throw encrypted(source);
          case PKCS8EncryptedPrivateKeyInfo ignored -> throw encrypted(source);
          default -> {
            // certificates, "EC PARAMETERS" and the like may share the file; keep looking
          }
        }
      }
    } catch (IOException e) {
      throw new KeyMaterialException("cannot read the private key from " + source + ": " + e.getMessage(), e);
    }
    throw new KeyMaterialException("no private key in " + source + " (expected a 'BEGIN PRIVATE KEY',"
        + " 'BEGIN EC PRIVATE KEY' or 'BEGIN RSA PRIVATE KEY' block)");
  }

  private static PrivateKey toPrivateKey(PrivateKeyInfo info, String source) {
    ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
    String algorithm;
    if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      algorithm = "EC";
    } else if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      algorithm = "RSA";
    } else if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
      algorithm = "Ed25519";
    } else if (oid.equals(EdECObjectIdentifiers.id_Ed448)) {
      algorithm = "Ed448";
    } else {
      throw new KeyMaterialException("the private key in " + source + " has algorithm " + oid.getId()
          + "; only EC, RSA and EdDSA keys are supported");
    }
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (GeneralSecurityException | IOException e) {
      throw new KeyMaterialException("the " + algorithm + " private key in " + source + " cannot be used: "
          + e.getMessage(), e);
    }
  }

  private static KeyMaterialException encrypted(String source) {
    return new KeyMaterialException("the private key in " + source + " is encrypted; Gatehouse needs it"
        + " unencrypted (e.g. 'openssl pkcs8 -topk8 -nocrypt -in encrypted.pem -out key.pem') and protected by"
        + " file permissions (chmod 600)");
  }
}
