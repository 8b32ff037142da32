package io.gatehouse.server.auth;

import io.gatehouse.core.authz.Authorizer;
import io.gatehouse.core.authz.Decision;
import io.gatehouse.core.authz.Permission;
import io.gatehouse.core.identity.Device;
import io.gatehouse.server.audit.AuditLog;
import io.gatehouse.server.http.Problems;

/** Applies the {@link Authorizer}'s decision to an API call: a denial is audited and becomes a 403. */
public final class Guard {
  private final Authorizer authorizer;
  private final AuditLog audit;

  public Guard(Authorizer authorizer, AuditLog audit) {
    this.authorizer = authorizer;
    this.audit = audit;
  }

  public void require(Caller caller, Permission permission, String action, String target) {
    enforce(caller, authorizer.check(caller.identity(), permission), action, target);
  }

  public void require(Caller caller, Permission permission, Device device, String action) {
    enforce(caller, authorizer.check(caller.identity(), permission, device), action, "device:" + device.id());
  }

  public void requireUnscoped(Caller caller, Permission permission, String action, String target) {
    enforce(caller, authorizer.checkUnscoped(caller.identity(), permission), action, target);
  }

  private void enforce(Caller caller, Decision decision, String action, String target) {
    if (decision instanceof Decision.Deny deny) {
      audit.denied(caller.actor(), action, target, deny.reason(), caller.source());
      throw Problems.forbidden(deny.reason(), deny.missing() == null ? null : deny.missing().wireName());
    }
  }
}
