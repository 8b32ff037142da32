package io.gatehouse.core.provisioning;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.x509.Certificates;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks an EK certificate before an enrollment relies on it: it certifies exactly the enrolled
 * endorsement key, and chains (through the intermediates sent along with it) to one of the TPM
 * manufacturers' roots the gateway was configured with, valid now.
 */
public final class EkCertificates {
  private EkCertificates() {}

  /**
   * @param pem the EK certificate first, then any intermediate CA certificates
   * @throws InvalidInputException saying which check failed
   */
  public static void verify(byte[] endorsementKey, String pem, List<X509Certificate> roots, Instant now) {
    if (roots.isEmpty()) {
      throw new InvalidInputException("no TPM manufacturer roots are configured (gatehouse serve --tpm-roots FILE), "
          + "so an EK certificate cannot be checked; configure them, or enroll the endorsement key without a "
          + "certificate to pin it as given");
    }
    List<X509Certificate> chain = Certificates.parsePem(pem);
    PublicKey certified = chain.getFirst().getPublicKey();
    PublicKey enrolled = TpmPublicKeys.parse(endorsementKey);
    if (!certified.equals(enrolled)) {
      throw new InvalidInputException("the EK certificate certifies another key than the endorsement key given");
    }
    Set<TrustAnchor> anchors = new HashSet<>();
    roots.forEach(root -> anchors.add(new TrustAnchor(root, null)));
    List<X509Certificate> path = chain.stream().filter(c -> !roots.contains(c)).toList();
    try {
      PKIXParameters parameters = new PKIXParameters(anchors);
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(now));
      CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path),
          parameters);
    } catch (CertPathValidatorException e) {
      throw new InvalidInputException("the EK certificate does not chain to a configured TPM manufacturer root: "
          + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new InvalidInputException("the EK certificate chain cannot be checked: " + e.getMessage());
    }
  }
}
