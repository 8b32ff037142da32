package io.gatehouse.core.x509;

import io.gatehouse.core.identity.IdentityIds;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/** A CA registered by an operator: devices whose certificates chain to it may authenticate. */
public record CaCertificate(String name, X509Certificate certificate, String sha256Thumbprint, Instant createdAt) {
  public CaCertificate {
    IdentityIds.requireValid("CA certificate name", name);
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(sha256Thumbprint, "sha256Thumbprint");
  }

  public String subject() {
    return certificate.getSubjectX500Principal().getName();
  }

  public Instant notBefore() {
    return certificate.getNotBefore().toInstant();
  }

  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }
}
