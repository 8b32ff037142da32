package io.gatehouse.store;

import io.gatehouse.core.identity.ServiceIdentity;
import java.util.Optional;

/**
 * Service identities, with the same etag, encryption and {@link AuditLine} rules as
 * {@link DeviceStore}.
 */
public interface ServiceIdentityStore {
  ServiceIdentity create(ServiceIdentity identity, AuditLine<ServiceIdentity> audit);

  /** Without an audit line. */
  default ServiceIdentity create(ServiceIdentity identity) {
    return create(identity, AuditLine.none());
  }

  Optional<ServiceIdentity> find(String name);

  ServiceIdentity replace(ServiceIdentity identity, String ifMatch, AuditLine<ServiceIdentity> audit);

  /** Without an audit line. */
  default ServiceIdentity replace(ServiceIdentity identity, String ifMatch) {
    return replace(identity, ifMatch, AuditLine.none());
  }

  /** The line is given the name. */
  void delete(String name, String ifMatch, AuditLine<String> audit);

  /** Without an audit line. */
  default void delete(String name, String ifMatch) {
    delete(name, ifMatch, AuditLine.none());
  }

  /** In name order, {@code pageSize} 1 to {@link DeviceQuery#MAX_PAGE_SIZE}. */
  Page<ServiceIdentity> list(int pageSize, String continuationToken);
}
