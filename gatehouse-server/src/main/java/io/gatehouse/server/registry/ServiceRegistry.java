package io.gatehouse.server.registry;

import io.gatehouse.core.audit.AuditEvent;
import io.gatehouse.core.audit.AuditEvent.Outcome;
import io.gatehouse.core.authz.Permission;
import io.gatehouse.core.crypto.SymmetricKeyFactory;
import io.gatehouse.core.error.ConflictException;
import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.core.error.PreconditionFailedException;
import io.gatehouse.core.identity.IdentityIds;
import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.core.identity.ServiceIdentity;
import io.gatehouse.core.sas.ConnectionString;
import io.gatehouse.server.audit.AuditLog;
import io.gatehouse.server.auth.Caller;
import io.gatehouse.server.auth.Guard;
import io.gatehouse.store.AuditLine;
import io.gatehouse.store.DeviceQuery;
import io.gatehouse.store.Page;
import io.gatehouse.store.ServiceIdentityStore;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Service identities and their grants; every call needs {@code admin}. The last enabled identity
 * holding {@code admin} can be neither disabled, deleted nor stripped of it, so operators cannot
 * lock themselves out. Every change is stored together with its audit line, in one transaction.
 */
public final class ServiceRegistry {
  private final ServiceIdentityStore services;
  private final Guard guard;
  private final AuditLog audit;
  private final SymmetricKeyFactory keyFactory;
  private final String hostName;

  public ServiceRegistry(ServiceIdentityStore services, Guard guard, AuditLog audit, SymmetricKeyFactory keyFactory,
      String hostName) {
    this.services = services;
    this.guard = guard;
    this.audit = audit;
    this.keyFactory = keyFactory;
    this.hostName = hostName;
  }

  public ServiceIdentity create(Caller caller, String name, ServiceSpec spec) {
    guard.require(caller, Permission.ADMIN, "service.create", "service:" + name);
    IdentityIds.requireValid("service name", name);
    ServiceIdentity wanted = new ServiceIdentity(name, spec.status(), keyFactory.newPair(), spec.grants(), null, null,
        null);
    AuditEvent line = success(caller, "service.create", name, describe(wanted));
    ServiceIdentity created = services.create(wanted, AuditLine.of(line));
    audit.committed(line);
    return created;
  }

  public ServiceIdentity get(Caller caller, String name) {
    guard.require(caller, Permission.ADMIN, "service.read", "service:" + name);
    return find(name);
  }

  public Page<ServiceIdentity> list(Caller caller, int pageSize, String continuationToken) {
    guard.require(caller, Permission.ADMIN, "service.list", "services");
    return services.list(pageSize, continuationToken);
  }

  public ServiceIdentity replace(Caller caller, String name, ServiceSpec spec, String ifMatch) {
    guard.require(caller, Permission.ADMIN, "service.update", "service:" + name);
    ServiceIdentity current = find(name);
    ServiceIdentity wanted = new ServiceIdentity(name, spec.status(), current.keys(), spec.grants(), current.etag(),
        current.createdAt(), current.updatedAt());
    if (!isActiveAdmin(wanted)) {
      requireAnotherAdmin(name, "remove admin from or disable");
    }
    AuditEvent line = success(caller, "service.update", name, describe(wanted));
    ServiceIdentity updated = services.replace(wanted, ifMatch, AuditLine.of(line));
    audit.committed(line);
    return updated;
  }

  public void delete(Caller caller, String name, String ifMatch) {
    guard.require(caller, Permission.ADMIN, "service.delete", "service:" + name);
    find(name);
    requireAnotherAdmin(name, "delete");
    AuditEvent line = success(caller, "service.delete", name, "");
    services.delete(name, ifMatch, AuditLine.of(line));
    audit.committed(line);
  }

  public ServiceIdentity setStatus(Caller caller, String name, IdentityStatus status) {
    String action = "service." + (status == IdentityStatus.ENABLED ? "enable" : "disable");
    guard.require(caller, Permission.ADMIN, action, "service:" + name);
    if (status != IdentityStatus.ENABLED) {
      requireAnotherAdmin(name, "disable");
    }
    AuditEvent line = success(caller, action, name, "");
    ServiceIdentity updated = modify(name, s -> s.withStatus(status), line);
    audit.committed(line);
    return updated;
  }

  public ServiceIdentity changeKeys(Caller caller, String name, KeyOperation operation) {
    guard.require(caller, Permission.ADMIN, "service.keys", "service:" + name);
    AuditEvent line = success(caller, "service.keys", name, operation.name().toLowerCase(Locale.ROOT));
    ServiceIdentity updated = modify(name, s -> s.withKeys(operation.apply(s.keys(), keyFactory)), line);
    audit.committed(line);
    return updated;
  }

  public String connectionString(Caller caller, String name, KeySlot slot) {
    guard.require(caller, Permission.ADMIN, "service.connection-string", "service:" + name);
    String cs = connectionString(find(name), slot);
    audit.success(caller.actor(), "service.connection-string", "service:" + name, caller.source());
    return cs;
  }

  public String connectionString(ServiceIdentity identity, KeySlot slot) {
    return ConnectionString.forService(hostName, identity.name(), slot.pick(identity.keys())).render();
  }

  /** Read-modify-write guarded by the etag; the line is written only with the attempt that commits. */
  private ServiceIdentity modify(String name, UnaryOperator<ServiceIdentity> change, AuditEvent line) {
    for (int attempt = 1; ; attempt++) {
      ServiceIdentity current = find(name);
      try {
        return services.replace(change.apply(current), current.etag(), AuditLine.of(line));
      } catch (PreconditionFailedException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  private AuditEvent success(Caller caller, String action, String name, String reason) {
    return audit.event(caller.actor(), action, "service:" + name, Outcome.SUCCESS, reason, caller.source());
  }

  private ServiceIdentity find(String name) {
    IdentityIds.requireValid("service name", name);
    return services.find(name).orElseThrow(() -> new NotFoundException("no service identity '" + name + "'"));
  }

  private void requireAnotherAdmin(String name, String verb) {
    String token = null;
    do {
      Page<ServiceIdentity> page = services.list(DeviceQuery.MAX_PAGE_SIZE, token);
      for (ServiceIdentity identity : page.items()) {
        if (!identity.name().equals(name) && isActiveAdmin(identity)) {
          return;
        }
      }
      token = page.continuationToken();
    } while (token != null);
    throw new ConflictException("cannot " + verb + " '" + name
        + "': it is the last enabled service identity holding admin; grant admin to another identity first");
  }

  private static boolean isActiveAdmin(ServiceIdentity identity) {
    return identity.isEnabled() && identity.holds(Permission.ADMIN);
  }

  private static String describe(ServiceIdentity identity) {
    return "permissions " + identity.grants().stream()
        .map(g -> g.permission().wireName() + (g.isScoped() ? "(scoped)" : ""))
        .toList();
  }
}
