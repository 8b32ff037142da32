package io.gatehouse.server.registry;

import io.gatehouse.core.identity.Authentication;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.identity.IdentityStatus;
import java.util.Map;

/**
 * What a caller asks a device to be. {@code authentication} null means symmetric keys: generated
 * on create, kept on replace.
 */
public record DeviceSpec(IdentityKind kind, IdentityStatus status, String statusReason,
    Authentication authentication, String parentId, Map<String, String> tags) {

  public DeviceSpec {
    kind = kind == null ? IdentityKind.DEVICE : kind;
    status = status == null ? IdentityStatus.ENABLED : status;
    tags = tags == null ? Map.of() : tags;
  }
}
