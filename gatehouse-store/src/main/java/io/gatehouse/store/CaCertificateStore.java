package io.gatehouse.store;

import io.gatehouse.core.x509.CaCertificate;
import java.util.List;
import java.util.Optional;

/** CA certificates registered for X.509 CA-signed device authentication. */
public interface CaCertificateStore {
  /** @throws io.gatehouse.core.error.AlreadyExistsException if the name or thumbprint is taken */
  CaCertificate add(CaCertificate certificate);

  Optional<CaCertificate> find(String name);

  /** All of them, in name order (operators register a handful, not thousands). */
  List<CaCertificate> list();

  /** @throws io.gatehouse.core.error.NotFoundException if there is no such CA */
  void delete(String name);
}
