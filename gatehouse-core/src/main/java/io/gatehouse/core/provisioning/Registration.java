package io.gatehouse.core.provisioning;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * The provisioning service's record of a registration id that was assigned: which enrollment
 * admitted it, how it attested, which device it became. DPS clients read it back as their
 * {@code registrationState}.
 *
 * @param registrationId normalised (lower case)
 * @param operationId the id of the register operation that produced this state, for polling
 * @param credentialHash SHA-256 (hex) of the credential that register call proved itself with (its
 *     SAS token or client certificate); polls of the operation must present the same
 */
public record Registration(String registrationId, String deviceId, EnrollmentKind enrollmentKind, String enrollmentId,
    String attestation, Substatus substatus, String operationId, String credentialHash, String etag, Instant createdAt,
    Instant updatedAt) {

  /** Azure DPS's substatus of an assigned registration. */
  public enum Substatus {
    INITIAL_ASSIGNMENT("initialAssignment"),
    DEVICE_DATA_MIGRATED("deviceDataMigrated"),
    DEVICE_DATA_RESET("deviceDataReset");

    private final String wireName;

    Substatus(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static Substatus fromWire(String value) {
      for (Substatus s : values()) {
        if (s.wireName.equals(value)) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown substatus " + value);
    }
  }

  public Registration {
    registrationId = RegistrationIds.normalise(registrationId);
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(enrollmentKind, "enrollmentKind");
    Objects.requireNonNull(enrollmentId, "enrollmentId");
    Objects.requireNonNull(attestation, "attestation");
    Objects.requireNonNull(substatus, "substatus");
    Objects.requireNonNull(operationId, "operationId");
    Objects.requireNonNull(credentialHash, "credentialHash");
    attestation = attestation.toLowerCase(Locale.ROOT);
  }

  public String enrollmentReference() {
    return enrollmentKind.wireName() + "/" + enrollmentId;
  }
}
