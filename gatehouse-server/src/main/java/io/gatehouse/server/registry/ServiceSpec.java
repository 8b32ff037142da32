package io.gatehouse.server.registry;

import io.gatehouse.core.authz.Grant;
import io.gatehouse.core.identity.IdentityStatus;
import java.util.List;

/** What a caller asks a service identity to be; keys are generated on create and kept on replace. */
public record ServiceSpec(IdentityStatus status, List<Grant> grants) {
  public ServiceSpec {
    status = status == null ? IdentityStatus.ENABLED : status;
    grants = Grant.copyValid(grants);
  }
}
