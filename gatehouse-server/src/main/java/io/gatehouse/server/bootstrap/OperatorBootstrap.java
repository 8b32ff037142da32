package io.gatehouse.server.bootstrap;

import io.gatehouse.core.audit.AuditEvent.Outcome;
import io.gatehouse.core.authz.Grant;
import io.gatehouse.core.authz.Permission;
import io.gatehouse.core.crypto.SymmetricKeyFactory;
import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.core.identity.ServiceIdentity;
import io.gatehouse.core.sas.ConnectionString;
import io.gatehouse.server.audit.AuditLog;
import io.gatehouse.store.ServiceIdentityStore;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * On the first start of an installation, creates the {@code operator} service identity with every
 * permission listed explicitly, and writes its connection string (mode 0600) for the CLI. Later
 * starts leave it alone: the file is the only copy of the key the server hands out unasked.
 */
public final class OperatorBootstrap {
  public static final String OPERATOR = "operator";

  private final ServiceIdentityStore services;
  private final SymmetricKeyFactory keys;
  private final AuditLog audit;
  private final DataDirectory data;

  public OperatorBootstrap(ServiceIdentityStore services, SymmetricKeyFactory keys, AuditLog audit, DataDirectory data) {
    this.services = services;
    this.keys = keys;
    this.audit = audit;
    this.data = data;
  }

  /** @return whether the operator identity was created now */
  public boolean ensureOperator(String hostName) {
    if (!services.list(1, null).items().isEmpty()) {
      return false;
    }
    List<Grant> all = Arrays.stream(Permission.values()).map(Grant::unscoped).toList();
    ServiceIdentity operator = services.create(
        new ServiceIdentity(OPERATOR, IdentityStatus.ENABLED, keys.newPair(), all, null, null, null));
    data.writeSecret(data.operatorCredential(),
        ConnectionString.forService(hostName, OPERATOR, operator.keys().primaryKey()).render() + "\n");
    audit.record("system", "service.create", "service:" + OPERATOR, Outcome.SUCCESS,
        "first start: operator credential written to " + data.operatorCredential(), "");
    return true;
  }

  /** The operator credential file, if this installation still has one. */
  public Optional<java.nio.file.Path> credentialFile() {
    return Files.exists(data.operatorCredential()) ? Optional.of(data.operatorCredential()) : Optional.empty();
  }
}
