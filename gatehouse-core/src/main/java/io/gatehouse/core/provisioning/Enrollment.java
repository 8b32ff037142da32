package io.gatehouse.core.provisioning;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.identity.IdentityIds;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.identity.Tags;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who may provision, and what they become. An individual enrollment is named by the one
 * registration id it admits; a group by an id of its own, and it admits every registration id
 * that proves membership (a key derived from the group key, or a certificate from the group's CA)
 * and matches {@code registrationIdPattern}.
 *
 * @param deviceId individual only: the device id to assign; {@code null} means the registration id
 * @param registrationIdPattern group only: which registration ids may join, {@code *} standing for
 *     any run of characters (e.g. {@code line7-*}); {@code null} admits any
 * @param tags the device's tags when it is first provisioned (and on a reset)
 * @param parentId the field gateway a provisioned leaf sits behind, or {@code null}
 * @param deviceKind what the provisioned identities are: devices, or field gateways (edges), which
 *     provision the same way and have no parent
 */
public record Enrollment(EnrollmentKind kind, String id, Attestation attestation, boolean enabled, String deviceId,
    String registrationIdPattern, Map<String, String> tags, String parentId, ReprovisionPolicy reprovisionPolicy,
    IdentityKind deviceKind, String etag, Instant createdAt, Instant updatedAt) {

  private static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9:._*-]{1,128}");

  /** An enrollment of devices (not field gateways). */
  public Enrollment(EnrollmentKind kind, String id, Attestation attestation, boolean enabled, String deviceId,
      String registrationIdPattern, Map<String, String> tags, String parentId, ReprovisionPolicy reprovisionPolicy,
      String etag, Instant createdAt, Instant updatedAt) {
    this(kind, id, attestation, enabled, deviceId, registrationIdPattern, tags, parentId, reprovisionPolicy,
        IdentityKind.DEVICE, etag, createdAt, updatedAt);
  }

  public Enrollment {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(attestation, "attestation");
    if (kind == EnrollmentKind.INDIVIDUAL) {
      id = RegistrationIds.normalise(id);
      if (attestation instanceof Attestation.X509Ca) {
        throw new InvalidInputException("an individual enrollment cannot use a CA; pin the device's certificate "
            + "thumbprint, or create an enrollment group for the CA");
      }
      if (registrationIdPattern != null) {
        throw new InvalidInputException("registrationIdPattern applies to enrollment groups only");
      }
      if (deviceId != null) {
        IdentityIds.requireValid("deviceId", deviceId);
      }
    } else {
      IdentityIds.requireValid("enrollment group id", id);
      if (attestation instanceof Attestation.X509Thumbprints || attestation instanceof Attestation.Tpm) {
        throw new InvalidInputException("an enrollment group attests with a group symmetric key or a CA; "
            + attestation.getClass().getSimpleName() + " needs an individual enrollment");
      }
      if (deviceId != null) {
        throw new InvalidInputException("deviceId applies to individual enrollments only; "
            + "a group's devices get their registration id as device id");
      }
      if (registrationIdPattern != null && !PATTERN.matcher(registrationIdPattern).matches()) {
        throw new InvalidInputException("registrationIdPattern must be 1 to 128 letters, digits, ':', '.', '_', '-' "
            + "and '*' (any run of characters)");
      }
    }
    if (parentId != null) {
      IdentityIds.requireValid("parentId", parentId);
    }
    tags = Tags.copyValid(tags);
    deviceKind = deviceKind == null ? IdentityKind.DEVICE : deviceKind;
    if (deviceKind == IdentityKind.SERVICE) {
      throw new InvalidInputException("deviceKind must be device or edge");
    }
    if (deviceKind == IdentityKind.EDGE && parentId != null) {
      throw new InvalidInputException("an enrollment of field gateways (deviceKind edge) names no parent: only devices "
          + "sit behind a field gateway");
    }
    reprovisionPolicy = reprovisionPolicy == null ? ReprovisionPolicy.MIGRATE : reprovisionPolicy;
  }

  /** Whether a group admits {@code registrationId} (case-insensitively); individual enrollments name theirs. */
  public boolean admits(String registrationId) {
    if (kind == EnrollmentKind.INDIVIDUAL) {
      return id.equalsIgnoreCase(registrationId);
    }
    if (registrationIdPattern == null) {
      return true;
    }
    StringBuilder regex = new StringBuilder("(?i)");
    for (String part : registrationIdPattern.split("\\*", -1)) {
      if (regex.length() > 4) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.matches(regex.toString(), registrationId);
  }

  /** {@code individual/{registrationId}} or {@code group/{id}}, as audit lines and device records name it. */
  public String reference() {
    return kind.wireName() + "/" + id;
  }

  public Enrollment withEnabled(boolean newEnabled) {
    return new Enrollment(kind, id, attestation, newEnabled, deviceId, registrationIdPattern, tags, parentId,
        reprovisionPolicy, deviceKind, etag, createdAt, updatedAt);
  }

  public Enrollment stamped(String newEtag, Instant created, Instant updated) {
    return new Enrollment(kind, id, attestation, enabled, deviceId, registrationIdPattern, tags, parentId,
        reprovisionPolicy, deviceKind, newEtag, created, updated);
  }
}
