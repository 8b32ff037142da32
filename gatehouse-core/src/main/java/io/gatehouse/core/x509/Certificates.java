package io.gatehouse.core.x509;

import io.gatehouse.core.error.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** PEM parsing, thumbprints and subject names of X.509 certificates. */
public final class Certificates {
  public static final int MAX_PEM_LENGTH = 64 * 1024;

  private Certificates() {}

  /** Parses one or more PEM certificates, with an error that says what was wrong. */
  public static List<X509Certificate> parsePem(String pem) {
    if (pem == null || pem.isBlank()) {
      throw new InvalidInputException("certificate is empty; send a PEM 'BEGIN CERTIFICATE' block");
    }
    if (pem.length() > MAX_PEM_LENGTH) {
      throw new InvalidInputException("certificate PEM is larger than " + MAX_PEM_LENGTH + " characters");
    }
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new InvalidInputException("certificate is not PEM: no '-----BEGIN CERTIFICATE-----' line");
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      List<X509Certificate> certs = new ArrayList<>();
      for (var cert : factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        certs.add((X509Certificate) cert);
      }
      if (certs.isEmpty()) {
        throw new InvalidInputException("no certificate found in the PEM text");
      }
      return List.copyOf(certs);
    } catch (CertificateException e) {
      throw new InvalidInputException("certificate does not parse: " + e.getMessage());
    }
  }

  public static X509Certificate parseSinglePem(String pem) {
    List<X509Certificate> certs = parsePem(pem);
    if (certs.size() != 1) {
      throw new InvalidInputException("expected one certificate, found " + certs.size());
    }
    return certs.get(0);
  }

  public static String toPem(X509Certificate certificate) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be encoded", e);
    }
  }

  public static String sha256Thumbprint(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
      throw new IllegalArgumentException("certificate cannot be hashed", e);
    }
  }

  /** The subject's common name, or {@code null} if it has none. */
  public static String commonName(X509Certificate certificate) {
    try {
      LdapName name = new LdapName(certificate.getSubjectX500Principal().getName());
      for (Rdn rdn : name.getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
      return null;
    } catch (InvalidNameException e) {
      return null;
    }
  }
}
