package io.gatehouse.core.x509;

import io.gatehouse.core.identity.Authentication;
import io.gatehouse.core.identity.Device;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a TLS client certificate proves a device's identity: either its SHA-256
 * thumbprint is pinned on the device, or it chains to a registered CA and its subject CN is the
 * device id. Validity dates are always checked.
 */
public final class ClientCertificateVerifier {
  private final Clock clock;

  public ClientCertificateVerifier(Clock clock) {
    this.clock = clock;
  }

  /** A refusal with the reason a person can act on. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * @param chain the presented chain, leaf first
   * @param registeredCas the CAs operators registered (only used for CA-signed devices)
   */
  public void verify(Device device, List<X509Certificate> chain, List<CaCertificate> registeredCas) throws Refused {
    if (chain.isEmpty()) {
      throw new Refused("no client certificate was presented");
    }
    X509Certificate leaf = chain.get(0);
    Date now = Date.from(clock.instant());
    try {
      leaf.checkValidity(now);
    } catch (CertificateExpiredException e) {
      throw new Refused("client certificate expired at " + leaf.getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      throw new Refused("client certificate is not valid before " + leaf.getNotBefore().toInstant());
    }
    switch (device.authentication()) {
      case Authentication.X509Thumbprints pinned -> {
        if (!pinned.matches(Certificates.sha256Thumbprint(leaf))) {
          throw new Refused("client certificate thumbprint does not match the one registered for '" + device.id() + "'");
        }
      }
      case Authentication.X509CaSigned ignored -> verifyChain(device, chain, registeredCas, now);
      case Authentication.SymmetricKeys ignored ->
          throw new Refused("device '" + device.id() + "' authenticates with SAS tokens, not certificates");
    }
  }

  private static void verifyChain(Device device, List<X509Certificate> chain, List<CaCertificate> cas, Date now)
      throws Refused {
    String cn = Certificates.commonName(chain.get(0));
    if (!device.id().equals(cn)) {
      throw new Refused("client certificate subject CN '" + cn + "' is not the device id '" + device.id() + "'");
    }
    if (cas.isEmpty()) {
      throw new Refused("no CA certificate is registered, so a CA-signed certificate cannot be checked");
    }
    Set<TrustAnchor> anchors = new HashSet<>();
    for (CaCertificate ca : cas) {
      anchors.add(new TrustAnchor(ca.certificate(), null));
    }
    // The path to validate excludes any anchor the client sent along.
    List<X509Certificate> path = chain.stream()
        .filter(c -> cas.stream().noneMatch(ca -> ca.certificate().equals(c)))
        .toList();
    try {
      PKIXParameters params = new PKIXParameters(anchors);
      params.setRevocationEnabled(false);
      params.setDate(now);
      CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
    } catch (CertPathValidatorException e) {
      throw new Refused("client certificate does not chain to a registered CA: " + e.getMessage());
    } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException | CertificateException e) {
      throw new Refused("client certificate chain cannot be checked: " + e.getMessage());
    }
  }
}
