package io.gatehouse.server.provisioning.tpm;

import io.gatehouse.core.error.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether an EK certificate proves that an endorsement key is in a genuine TPM: the
 * certificate chains (PKIX, through the intermediates given) to one of the TPM manufacturers'
 * roots configured for the installation, and it certifies exactly that key.
 */
public final class EndorsementCertificateVerifier {
  private final Clock clock;

  public EndorsementCertificateVerifier(Clock clock) {
    this.clock = clock;
  }

  /** A refusal with the reason a person can act on. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * @param certificateDer the EK certificate as read from the TPM's NV memory (DER)
   * @param intermediates manufacturers' intermediate CAs that may be on the path
   * @param roots the trusted TPM-manufacturer roots
   * @param endorsementKey the TPM2B_PUBLIC the device sent as its EK
   * @return the parsed certificate
   */
  public X509Certificate verify(byte[] certificateDer, Collection<X509Certificate> intermediates,
      Collection<X509Certificate> roots, byte[] endorsementKey) throws Refused {
    X509Certificate certificate = parse(certificateDer);
    RsaStorageKey ek;
    try {
      ek = RsaStorageKey.parse("endorsementKey", endorsementKey);
    } catch (InvalidInputException e) {
      throw new Refused(e.getMessage());
    }
    if (!(certificate.getPublicKey() instanceof RSAPublicKey certified)
        || !certified.getModulus().equals(ek.publicKey().getModulus())
        || !certified.getPublicExponent().equals(ek.publicKey().getPublicExponent())) {
      throw new Refused("the EK certificate (subject '" + certificate.getSubjectX500Principal().getName()
          + "', serial " + certificate.getSerialNumber().toString(16) + ") certifies another key than the endorsement key sent");
    }
    if (roots.isEmpty()) {
      throw new Refused("no TPM manufacturer root is configured, so an EK certificate cannot be checked");
    }
    Set<TrustAnchor> anchors = new HashSet<>();
    roots.forEach(root -> anchors.add(new TrustAnchor(root, null)));
    try {
      X509CertSelector target = new X509CertSelector();
      target.setCertificate(certificate);
      PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
      List<X509Certificate> candidates = new ArrayList<>(intermediates);
      candidates.add(certificate);
      params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(candidates)));
      // TPM vendors publish no CRLs for EK certificates as a rule; revocation is handled by disabling the enrollment.
      params.setRevocationEnabled(false);
      params.setDate(Date.from(clock.instant()));
      CertPathBuilder.getInstance("PKIX").build(params);
      return certificate;
    } catch (CertPathBuilderException e) {
      throw new Refused("the EK certificate issued by '" + certificate.getIssuerX500Principal().getName()
          + "' does not chain to a configured TPM manufacturer root: " + e.getMessage());
    } catch (InvalidAlgorithmParameterException e) {
      throw new Refused("the EK certificate cannot be checked: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PKIX path building is unavailable in this JVM", e);
    }
  }

  private static X509Certificate parse(byte[] der) throws Refused {
    if (der == null || der.length == 0) {
      throw new Refused("no EK certificate was given");
    }
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new Refused("the EK certificate is not a DER X.509 certificate: " + e.getMessage());
    }
  }
}
