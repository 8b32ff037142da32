package io.gatehouse.device.client;

import io.gatehouse.device.keys.DeviceKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A device as its hub knows it: the hub's host name, the device id, and the keys that sign its SAS
 * tokens. With a {@code TpmIdentity} as the keys, {@link #sasToken} is computed inside the TPM
 * (TPM2_HMAC with the imported hub key at 0x81000100) and the key never leaves it; with an
 * {@code InsecureSoftwareKeyStore}, the same API serves development machines without a TPM.
 *
 * <p>This is the SDK's "TpmDevice" of issue 5: {@code TpmIdentity} stays the TPM's key holder
 * (EK, SRK, import, HMAC, P-256 signing), and this record adds only what a connection needs.
 */
public record DeviceIdentity(String hostName, String deviceId, DeviceKeys keys, Clock clock) {
  public DeviceIdentity {
    Objects.requireNonNull(hostName, "hostName");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(clock, "clock");
  }

  public DeviceIdentity(String hostName, String deviceId, DeviceKeys keys) {
    this(hostName, deviceId, keys, Clock.systemUTC());
  }

  /** The audience of this device's tokens: {@code {hostName}/devices/{deviceId}}. */
  public String resourceUri() {
    return hostName + "/devices/" + deviceId;
  }

  /** A device SAS token valid for {@code ttl} from now, signed by the keys (inside the TPM for a TPM). */
  public String sasToken(Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a token's lifetime must be positive, got " + ttl);
    }
    return sasToken(clock.instant().plus(ttl));
  }

  /** A device SAS token that expires at {@code expiry} (whole seconds: {@code se} drops the fraction). */
  public String sasToken(Instant expiry) {
    return keys.sasToken(resourceUri(), expiry);
  }

  @Override
  public String toString() {
    return "DeviceIdentity[" + hostName + "/" + deviceId + ", " + keys.kind() + "]";
  }
}
