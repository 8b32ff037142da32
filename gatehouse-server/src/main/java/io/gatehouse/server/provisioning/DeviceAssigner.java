package io.gatehouse.server.provisioning;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.core.identity.Authentication;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.core.identity.Provisioning;
import io.gatehouse.core.provisioning.Enrollment;
import io.gatehouse.core.provisioning.Registration;
import io.gatehouse.core.provisioning.Registration.Substatus;
import io.gatehouse.core.provisioning.ReprovisionPolicy;
import io.gatehouse.server.registry.DeviceRegistry;
import io.gatehouse.store.RegistrationStore;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns an admitted registration into a device in the registry, following the enrollment's
 * reprovisioning policy, and records the registration. Two rules protect the registry: a
 * registration never takes over a device it did not provision (one created through the API, or
 * by another registration id), and it never re-enables a device an operator disabled.
 */
final class DeviceAssigner {
  /** What the device became; {@code tpmBlob} wraps its hub key for its TPM (TPM attestation only). */
  record Assignment(Device device, Registration registration, byte[] tpmBlob) {}

  private final DeviceRegistry registry;
  private final RegistrationStore registrations;
  private final TpmAttestor tpm;
  private final Clock clock;

  DeviceAssigner(DeviceRegistry registry, RegistrationStore registrations, TpmAttestor tpm, Clock clock) {
    this.registry = registry;
    this.registrations = registrations;
    this.tpm = tpm;
    this.clock = clock;
  }

  Assignment assign(Admission admission) {
    Enrollment enrollment = admission.enrollment();
    String registrationId = admission.registrationId();
    Optional<Registration> earlier = registrations.find(registrationId);
    String deviceId = enrollment.deviceId() != null ? enrollment.deviceId()
        : earlier.map(Registration::deviceId).orElse(registrationId);
    Optional<Device> existing = registry.lookup(deviceId);
    existing.ifPresent(device -> requireOwned(device, registrationId));
    Provisioning provisioning = new Provisioning(admission.attestation(), registrationId.toLowerCase(
        java.util.Locale.ROOT), enrollment.reference(), clock.instant());

    RegistrationStore.DeviceWrite write;
    Substatus substatus;
    byte[] tpmKey = null;
    if (existing.isEmpty()) {
      Authentication credential = admission.credential();
      if (credential == null) {
        tpmKey = tpm.newKey();
        credential = tpmKeys(tpmKey);
      }
      write = new RegistrationStore.DeviceWrite.Create(new Device(deviceId, enrollment.deviceKind(),
          IdentityStatus.ENABLED, null, credential, enrollment.parentId(), enrollment.tags(), null, null, null, null,
          provisioning));
      substatus = Substatus.INITIAL_ASSIGNMENT;
    } else {
      Device current = existing.get();
      if (!current.isEnabled()) {
        throw new DpsException(DpsErrorCode.DISABLED, "device '" + deviceId + "' is " + current.status().wireName()
            + " in the registry; an operator must enable it before it can provision again");
      }
      ReprovisionPolicy policy = enrollment.reprovisionPolicy();
      if (policy == ReprovisionPolicy.NEVER) {
        write = new RegistrationStore.DeviceWrite.Keep(current);
        substatus = earlier.map(Registration::substatus).orElse(Substatus.INITIAL_ASSIGNMENT);
        if (admission.tpm() != null) {
          tpmKey = currentTpmKey(current);
        }
      } else {
        Authentication credential = admission.credential();
        if (credential == null) {
          tpmKey = tpm.newKey();
          credential = tpmKeys(tpmKey);
        }
        boolean reset = policy == ReprovisionPolicy.RESET;
        write = new RegistrationStore.DeviceWrite.Replace(new Device(deviceId, current.kind(), current.status(),
            current.statusReason(), credential, reset ? enrollment.parentId() : current.parentId(),
            reset ? enrollment.tags() : current.tags(), current.etag(), current.createdAt(), current.updatedAt(),
            current.lastActivityAt(), provisioning), current.etag());
        substatus = reset ? Substatus.DEVICE_DATA_RESET : Substatus.DEVICE_DATA_MIGRATED;
      }
    }
    // Built before anything is stored: a blob that cannot be made must not leave a device with a key nobody holds.
    byte[] tpmBlob = tpmKey == null ? null : tpm.blob(admission.tpm(), tpmKey);
    Registration registration = new Registration(registrationId, deviceId, enrollment.kind(), enrollment.id(),
        admission.attestation(), substatus, UUID.randomUUID().toString(), admission.credentialHash(), null, null, null);
    RegistrationStore.Assigned assigned = store(write, registration, admission);
    if (!(write instanceof RegistrationStore.DeviceWrite.Keep)) {
      registry.provisioned(assigned.device(), existing.orElse(null));
    }
    return new Assignment(assigned.device(), assigned.registration(), tpmBlob);
  }

  /** Token, device and registration in one transaction: a replayed token writes nothing. */
  private RegistrationStore.Assigned store(RegistrationStore.DeviceWrite write, Registration registration,
      Admission admission) {
    try {
      registry.checkProvisioned(write.device());
      return registrations.assign(new RegistrationStore.Assignment(write, registration,
          admission.tokenExpiresAt() == null ? null : admission.credentialHash(), admission.tokenExpiresAt()))
          .orElseThrow(() -> SymmetricKeyAttestor.unauthorized("this SAS token was used for a register call "
              + "already; a token registers once: sign a new one"));
    } catch (InvalidInputException | NotFoundException e) {
      throw new DpsException(DpsErrorCode.CONFLICT, "the enrollment's device cannot be stored: " + e.getMessage());
    } catch (io.gatehouse.core.error.AlreadyExistsException | io.gatehouse.core.error.PreconditionFailedException e) {
      throw new DpsException(DpsErrorCode.CONFLICT, "device '" + registration.deviceId() + "' changed while it was "
          + "being provisioned (another registration at the same moment?); register again");
    }
  }

  private static void requireOwned(Device device, String registrationId) {
    boolean ours = device.provisioned().map(p -> p.registrationId().equalsIgnoreCase(registrationId)).orElse(false);
    if (!ours) {
      throw new DpsException(DpsErrorCode.CONFLICT, "device id '" + device.id() + "' is taken by a device "
          + (device.provisioning() == null ? "created through the service API"
              : "provisioned for registration '" + device.provisioning().registrationId() + "'")
          + "; delete it, or give the enrollment another device id");
    }
  }

  private static Authentication.SymmetricKeys tpmKeys(byte[] key) {
    // The TPM holds one key: both slots carry it, so no second secret exists that nobody holds.
    String base64 = Base64.getEncoder().encodeToString(key);
    return new Authentication.SymmetricKeys(base64, base64);
  }

  private static byte[] currentTpmKey(Device device) {
    if (device.authentication() instanceof Authentication.SymmetricKeys keys) {
      return keys.primaryKeyBytes();
    }
    throw new DpsException(DpsErrorCode.CONFLICT, "device '" + device.id() + "' has no symmetric key to hand back to "
        + "its TPM; an operator must delete it so that it can provision afresh");
  }
}
