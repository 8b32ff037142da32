package io.gatehouse.server.registry;

import io.gatehouse.core.audit.AuditEvent;
import io.gatehouse.core.audit.AuditEvent.Outcome;
import io.gatehouse.core.authz.Permission;
import io.gatehouse.core.crypto.SymmetricKeyFactory;
import io.gatehouse.core.error.ConflictException;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.core.identity.Authentication;
import io.gatehouse.core.identity.Authentication.SymmetricKeys;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityIds;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.core.sas.ConnectionString;
import io.gatehouse.core.sas.SasSigner;
import io.gatehouse.server.audit.AuditLog;
import io.gatehouse.server.auth.Caller;
import io.gatehouse.server.auth.Guard;
import io.gatehouse.store.AuditLine;
import io.gatehouse.store.DeviceQuery;
import io.gatehouse.store.DeviceStore;
import io.gatehouse.store.Page;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Devices and field gateways: every change is authorized, validated against the registry (a
 * parent must be an existing field gateway), and stored together with its audit line, in one
 * transaction.
 */
public final class DeviceRegistry {
  public static final Duration MIN_TOKEN_TTL = Duration.ofMinutes(1);
  public static final Duration MAX_TOKEN_TTL = Duration.ofDays(365);

  private final DeviceStore devices;
  private final Guard guard;
  private final AuditLog audit;
  private final SymmetricKeyFactory keyFactory;
  private final String hostName;
  private final Clock clock;
  private final RevocationListener revocations;
  private final DeviceChangeListener changes;

  public DeviceRegistry(DeviceStore devices, Guard guard, AuditLog audit, SymmetricKeyFactory keyFactory,
      String hostName, Clock clock, RevocationListener revocations, DeviceChangeListener changes) {
    this.revocations = revocations;
    this.changes = changes;
    this.devices = devices;
    this.guard = guard;
    this.audit = audit;
    this.keyFactory = keyFactory;
    this.hostName = hostName;
    this.clock = clock;
  }

  public Device create(Caller caller, String id, DeviceSpec spec) {
    guard.require(caller, Permission.REGISTRY_WRITE, "device.create", "device:" + id);
    IdentityIds.requireValid("device id", id);
    checkParent(id, spec);
    Authentication auth = spec.authentication() != null ? spec.authentication() : keyFactory.newPair();
    AuditEvent line = success(caller, spec.kind().wireName() + ".create", id, "");
    Device created = devices.create(new Device(id, spec.kind(), spec.status(), spec.statusReason(), auth,
        spec.parentId(), spec.tags(), null, null, null, null), AuditLine.of(line));
    changes.saved(created);
    audit.committed(line);
    return created;
  }

  /**
   * Checks a device the provisioning service is about to store against the registry's rules (a
   * parent must be a field gateway), as {@link #create} does for an operator's device.
   */
  public void checkProvisioned(Device device) {
    if (device.parentId() != null) {
      checkParent(device.id(), new DeviceSpec(device.kind(), device.status(), null, null, device.parentId(), null));
    }
  }

  /**
   * Told once the provisioning service committed {@code saved} (in place of {@code previous}, or
   * new): the same bookkeeping as an operator's change. The leaf directory hears of it, and a
   * changed credential ends sessions opened with the old one. Provisioning audits the registration.
   */
  public void provisioned(Device saved, Device previous) {
    changes.saved(saved);
    if (previous != null && !saved.authentication().equals(previous.authentication())) {
      revocations.revoked(saved.id());
    }
  }

  /** The device, if registered; for services that make their own decisions (provisioning). */
  public java.util.Optional<Device> lookup(String id) {
    return devices.find(IdentityIds.requireValid("device id", id));
  }

  public Device get(Caller caller, String id) {
    guard.require(caller, Permission.REGISTRY_READ, "device.read", "device:" + id);
    return find(id);
  }

  public Page<Device> list(Caller caller, DeviceQuery query) {
    guard.require(caller, Permission.REGISTRY_READ, "device.list", "devices");
    return devices.list(query);
  }

  public Device replace(Caller caller, String id, DeviceSpec spec, String ifMatch) {
    guard.require(caller, Permission.REGISTRY_WRITE, "device.update", "device:" + id);
    Device current = find(id);
    checkParent(id, spec);
    if (current.kind() == IdentityKind.EDGE && spec.kind() != IdentityKind.EDGE) {
      requireNoChildren(id, "change the kind of");
    }
    Authentication auth = spec.authentication();
    if (auth == null) {
      auth = current.authentication() instanceof SymmetricKeys keys ? keys : keyFactory.newPair();
    }
    AuditEvent line = success(caller, "device.update", id, "");
    Device updated = devices.replace(new Device(id, spec.kind(), spec.status(), spec.statusReason(), auth,
        spec.parentId(), spec.tags(), current.etag(), current.createdAt(), current.updatedAt(),
        current.lastActivityAt(), current.provisioning()), ifMatch, AuditLine.of(line));
    changes.saved(updated);
    if (!updated.isEnabled() || !updated.authentication().equals(current.authentication())) {
      revocations.revoked(id); // a changed credential or status must not outlive the session proven with the old one
    }
    audit.committed(line);
    return updated;
  }

  public void delete(Caller caller, String id, String ifMatch) {
    guard.require(caller, Permission.REGISTRY_WRITE, "device.delete", "device:" + id);
    Device current = find(id);
    if (current.kind() == IdentityKind.EDGE) {
      requireNoChildren(id, "delete");
    }
    AuditEvent line = success(caller, "device.delete", id, "");
    devices.delete(id, ifMatch, AuditLine.of(line));
    changes.deleted(id);
    revocations.revoked(id);
    audit.committed(line);
  }

  public Device setStatus(Caller caller, String id, IdentityStatus status, String reason) {
    String action = "device." + switch (status) {
      case ENABLED -> "enable";
      case DISABLED -> "disable";
      case QUARANTINED -> "quarantine";
    };
    guard.require(caller, Permission.REGISTRY_WRITE, action, "device:" + id);
    if (reason != null && reason.length() > 512) {
      throw new InvalidInputException("reason must be at most 512 characters");
    }
    AuditEvent line = success(caller, action, id, reason == null ? "" : reason);
    Device updated = modify(id, d -> d.withStatus(status, reason), line);
    changes.saved(updated);
    if (status != IdentityStatus.ENABLED) {
      revocations.revoked(id);
    }
    audit.committed(line);
    return updated;
  }

  public Device changeKeys(Caller caller, String id, KeyOperation operation) {
    guard.require(caller, Permission.REGISTRY_WRITE, "device.keys", "device:" + id);
    requireKeyOutsideTpm(caller, find(id), "device.keys"); // a new key would leave here in the clear
    AuditEvent line = success(caller, "device.keys", id, operation.name().toLowerCase(java.util.Locale.ROOT));
    Device updated = modify(id, d -> d.withAuthentication(operation.apply(symmetricKeys(d), keyFactory)), line);
    changes.saved(updated);
    if (operation != KeyOperation.SWAP) {
      revocations.revoked(id); // a key was dropped: a session opened with it must not live on
    }
    audit.committed(line);
    return updated;
  }

  public String connectionString(Caller caller, String id, KeySlot slot) {
    guard.require(caller, Permission.REGISTRY_WRITE, "device.connection-string", "device:" + id);
    Device device = find(id);
    requireKeyOutsideTpm(caller, device, "device.connection-string");
    String cs = connectionString(device, slot);
    audit.success(caller.actor(), "device.connection-string", "device:" + id, caller.source());
    return cs;
  }

  /** The connection string of a device known to use symmetric keys (for create responses). */
  public String connectionString(Device device, KeySlot slot) {
    return ConnectionString.forDevice(hostName, device.id(), slot.pick(symmetricKeys(device))).render();
  }

  public IssuedCredential token(Caller caller, String id, Duration ttl, KeySlot slot) {
    guard.require(caller, Permission.REGISTRY_WRITE, "device.token", "device:" + id);
    if (ttl.compareTo(MIN_TOKEN_TTL) < 0 || ttl.compareTo(MAX_TOKEN_TTL) > 0) {
      throw new InvalidInputException("token lifetime must be between 1 minute and 365 days, got "
          + ttl.toSeconds() + " s");
    }
    Device device = find(id);
    requireKeyOutsideTpm(caller, device, "device.token");
    byte[] key = Base64.getDecoder().decode(slot.pick(symmetricKeys(device)));
    var expiry = clock.instant().plus(ttl);
    String token = SasSigner.token(hostName + "/devices/" + id, key, expiry, null);
    audit.record(caller.actor(), "device.token", "device:" + id, io.gatehouse.core.audit.AuditEvent.Outcome.SUCCESS,
        "ttl " + ttl.toSeconds() + " s", caller.source());
    return new IssuedCredential(token, java.time.Instant.ofEpochSecond(expiry.getEpochSecond()));
  }

  /**
   * A TPM-attested device's key was handed to its TPM only, wrapped for it: the registry keeps a copy
   * to check the device's tokens, but never gives it out again (as a connection string or a token
   * signed here), or a copy of the key could impersonate the device that cannot be cloned.
   */
  private void requireKeyOutsideTpm(Caller caller, Device device, String action) {
    if (device.provisioning() != null && "tpm".equals(device.provisioning().attestation())) {
      String reason = "device '" + device.id() + "' was provisioned by TPM attestation: its key stays in its TPM, "
          + "so no key, connection string or token is issued for it here (the device signs its own tokens; "
          + "provision it again for a new key)";
      audit.denied(caller.actor(), action, "device:" + device.id(), reason, caller.source());
      throw new ConflictException(reason);
    }
  }

  /**
   * Read-modify-write guarded by the etag: a concurrent writer makes this re-read and re-apply
   * rather than silently overwrite the other change. The line is written only with the attempt that
   * commits.
   */
  private Device modify(String id, java.util.function.UnaryOperator<Device> change, AuditEvent line) {
    for (int attempt = 1; ; attempt++) {
      Device current = find(id);
      try {
        return devices.replace(change.apply(current), current.etag(), AuditLine.of(line));
      } catch (io.gatehouse.core.error.PreconditionFailedException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  private AuditEvent success(Caller caller, String action, String id, String reason) {
    return audit.event(caller.actor(), action, "device:" + id, Outcome.SUCCESS, reason, caller.source());
  }

  private Device find(String id) {
    IdentityIds.requireValid("device id", id);
    return devices.find(id).orElseThrow(() -> new NotFoundException("no device '" + id + "'"));
  }

  private void checkParent(String id, DeviceSpec spec) {
    if (spec.parentId() == null) {
      return;
    }
    if (spec.kind() != IdentityKind.DEVICE) {
      throw new InvalidInputException("only a device can have a parent; '" + id + "' is a field gateway");
    }
    Device parent = devices.find(IdentityIds.requireValid("parent id", spec.parentId()))
        .orElseThrow(() -> new InvalidInputException("parent '" + spec.parentId() + "' does not exist"));
    if (parent.kind() != IdentityKind.EDGE) {
      throw new InvalidInputException("parent '" + spec.parentId() + "' is not a field gateway (kind edge)");
    }
  }

  private void requireNoChildren(String id, String verb) {
    long children = devices.countChildren(id);
    if (children > 0) {
      throw new ConflictException("cannot " + verb + " field gateway '" + id + "': " + children
          + " device(s) name it as parent; move or delete them first");
    }
  }

  private static SymmetricKeys symmetricKeys(Device device) {
    if (device.authentication() instanceof SymmetricKeys keys) {
      return keys;
    }
    throw new ConflictException("device '" + device.id() + "' authenticates with "
        + device.authentication().type() + ", so it has no symmetric keys");
  }
}
