package io.gatehouse.server.registry;

import io.gatehouse.core.authz.Permission;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.core.identity.IdentityIds;
import io.gatehouse.core.x509.CaCertificate;
import io.gatehouse.core.x509.Certificates;
import io.gatehouse.server.audit.AuditLog;
import io.gatehouse.server.auth.Caller;
import io.gatehouse.server.auth.Guard;
import io.gatehouse.store.CaCertificateStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;

/** CA certificates that sign devices' X.509 certificates. Only real, currently valid CAs are accepted. */
public final class CaRegistry {
  private final CaCertificateStore store;
  private final Guard guard;
  private final AuditLog audit;
  private final Clock clock;

  public CaRegistry(CaCertificateStore store, Guard guard, AuditLog audit, Clock clock) {
    this.store = store;
    this.guard = guard;
    this.audit = audit;
    this.clock = clock;
  }

  public CaCertificate add(Caller caller, String name, String pem) {
    guard.require(caller, Permission.ADMIN, "ca.add", "ca:" + name);
    IdentityIds.requireValid("CA certificate name", name);
    X509Certificate certificate = Certificates.parseSinglePem(pem);
    if (certificate.getBasicConstraints() < 0) {
      throw new InvalidInputException("certificate '" + certificate.getSubjectX500Principal().getName()
          + "' is not a CA certificate (basicConstraints CA=true is missing)");
    }
    try {
      certificate.checkValidity(Date.from(clock.instant()));
    } catch (CertificateExpiredException e) {
      throw new InvalidInputException("CA certificate expired at " + certificate.getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      throw new InvalidInputException("CA certificate is not valid before " + certificate.getNotBefore().toInstant());
    }
    CaCertificate added = store.add(new CaCertificate(name, certificate, Certificates.sha256Thumbprint(certificate),
        clock.instant()));
    audit.record(caller.actor(), "ca.add", "ca:" + name, io.gatehouse.core.audit.AuditEvent.Outcome.SUCCESS,
        "sha256 " + added.sha256Thumbprint(), caller.source());
    return added;
  }

  public List<CaCertificate> list(Caller caller) {
    guard.require(caller, Permission.ADMIN, "ca.list", "certificates");
    return store.list();
  }

  public CaCertificate get(Caller caller, String name) {
    guard.require(caller, Permission.ADMIN, "ca.read", "ca:" + name);
    IdentityIds.requireValid("CA certificate name", name);
    return store.find(name).orElseThrow(() -> new NotFoundException("no CA certificate '" + name + "'"));
  }

  public void delete(Caller caller, String name) {
    guard.require(caller, Permission.ADMIN, "ca.delete", "ca:" + name);
    IdentityIds.requireValid("CA certificate name", name);
    store.delete(name);
    audit.success(caller.actor(), "ca.delete", "ca:" + name, caller.source());
  }
}
