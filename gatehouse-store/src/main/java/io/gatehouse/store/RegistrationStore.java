package io.gatehouse.store;

import io.gatehouse.core.identity.Device;
import io.gatehouse.core.provisioning.IdScope;
import io.gatehouse.core.provisioning.Registration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the provisioning service remembers: its ID scope, assigned registrations, and the register
 * tokens used (each until it expires, so that a token registers once).
 */
public interface RegistrationStore {
  /**
   * The installation's ID scope: the stored one, or {@code candidate}, stored now, on the first call
   * ever. Never changes afterwards, since devices carry it in their configuration.
   */
  IdScope idScope(IdScope candidate);

  Optional<Registration> find(String registrationId);


  /** One enrollment's registrations, in registration id order. */
  Page<Registration> listByEnrollment(String enrollmentReference, int pageSize, String continuationToken);

  /** What an assignment does to the device. */
  sealed interface DeviceWrite {
    Device device();

    record Create(Device device) implements DeviceWrite {}

    /** Replaces the device if it still has the etag {@code ifMatch}. */
    record Replace(Device device, String ifMatch) implements DeviceWrite {}

    /** Leaves the device as it is (reprovisioning policy "never"). */
    record Keep(Device device) implements DeviceWrite {}
  }

  /**
   * One registration's writes, made together or not at all.
   *
   * @param tokenHash the register token to mark used, or {@code null} (X.509: no token)
   */
  record Assignment(DeviceWrite device, Registration registration, String tokenHash, Instant tokenExpiresAt) {}

  record Assigned(Device device, Registration registration) {}

  /**
   * In one transaction: marks the token used, writes the device, saves the registration. Empty
   * (and nothing written) if the token was used before: a replay.
   *
   * @throws io.gatehouse.core.error.AlreadyExistsException, PreconditionFailedException,
   *     InvalidInputException as the device write would
   */
  java.util.Optional<Assigned> assign(Assignment assignment);
}
