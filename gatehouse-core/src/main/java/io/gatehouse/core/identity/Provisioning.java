package io.gatehouse.core.identity;

import java.time.Instant;
import java.util.Objects;

/**
 * How a device came into the registry through the provisioning service: the attestation it proved
 * ({@code symmetric-key}, {@code x509}, {@code tpm}), the registration id and the enrollment
 * ({@code individual/…} or {@code group/…}) that admitted it, and when. Devices created through the
 * service API have none.
 */
public record Provisioning(String attestation, String registrationId, String enrollment, Instant provisionedAt) {
  public Provisioning {
    Objects.requireNonNull(attestation, "attestation");
    Objects.requireNonNull(registrationId, "registrationId");
    Objects.requireNonNull(enrollment, "enrollment");
    Objects.requireNonNull(provisionedAt, "provisionedAt");
  }
}
