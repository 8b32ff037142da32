package io.gatehouse.server.device;

import io.gatehouse.core.identity.Device;
import java.time.Instant;

/**
 * A device whose credential checked out, as of {@code authenticatedAt}.
 *
 * @param method {@code sas} or {@code x509}
 * @param credentialExpiry when the SAS token expires (a session must end then), or the certificate's notAfter
 */
public record AuthenticatedDevice(Device device, String method, Instant authenticatedAt, Instant credentialExpiry) {
  public String id() {
    return device.id();
  }
}
