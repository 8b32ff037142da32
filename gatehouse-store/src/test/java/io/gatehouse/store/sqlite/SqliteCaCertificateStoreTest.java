package io.gatehouse.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.AlreadyExistsException;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.core.x509.CaCertificate;
import io.gatehouse.core.x509.Certificates;
import io.gatehouse.store.CaCertificateStore;
import java.security.cert.X509Certificate;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SqliteCaCertificateStoreTest extends StoreTestBase {
  private CaCertificateStore cas;

  @BeforeEach
  void open() {
    cas = store.caCertificates();
  }

  private static CaCertificate ca(String name, X509Certificate certificate) {
    return new CaCertificate(name, certificate, Certificates.sha256Thumbprint(certificate), null);
  }

  @Test
  void addFindListDelete() throws Exception {
    X509Certificate root = TestCertificates.selfSignedCa("Root");
    X509Certificate factory = TestCertificates.selfSignedCa("Factory");

    CaCertificate added = cas.add(ca("root", root));
    cas.add(ca("factory", factory));

    assertThat(added.createdAt()).isEqualTo(clock.instant().truncatedTo(ChronoUnit.MILLIS));
    CaCertificate found = cas.find("root").orElseThrow();
    assertThat(found).isEqualTo(added);
    assertThat(found.certificate().getEncoded()).isEqualTo(root.getEncoded());
    assertThat(found.sha256Thumbprint()).isEqualTo(Certificates.sha256Thumbprint(root));
    assertThat(cas.list()).extracting(CaCertificate::name).containsExactly("factory", "root");

    cas.delete("root");
    assertThat(cas.find("root")).isEmpty();
    assertThatThrownBy(() -> cas.delete("root"))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("no CA certificate named 'root'");
  }

  @Test
  void addRefusesATakenNameOrAnAlreadyRegisteredCertificate() throws Exception {
    X509Certificate root = TestCertificates.selfSignedCa("Root");
    cas.add(ca("root", root));

    assertThatThrownBy(() -> cas.add(ca("root", TestCertificates.selfSignedCa("Other"))))
        .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("named 'root' exists already");
    assertThatThrownBy(() -> cas.add(ca("root-again", root)))
        .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("already registered as CA 'root'");
    assertThat(cas.list()).hasSize(1);
  }

  @Test
  void addRefusesAThumbprintThatIsNotTheCertificates() {
    X509Certificate root = TestCertificates.selfSignedCa("Root");
    assertThatThrownBy(() -> cas.add(new CaCertificate("root", root, "00".repeat(32), null)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not match");
  }
}
