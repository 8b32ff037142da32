package io.gatehouse.store;

import io.gatehouse.core.identity.ServiceIdentity;
import java.util.Optional;

/** Service identities, with the same etag and encryption rules as {@link DeviceStore}. */
public interface ServiceIdentityStore {
  ServiceIdentity create(ServiceIdentity identity);

  Optional<ServiceIdentity> find(String name);

  ServiceIdentity replace(ServiceIdentity identity, String ifMatch);

  void delete(String name, String ifMatch);

  /** In name order, {@code pageSize} 1 to {@link DeviceQuery#MAX_PAGE_SIZE}. */
  Page<ServiceIdentity> list(int pageSize, String continuationToken);
}
