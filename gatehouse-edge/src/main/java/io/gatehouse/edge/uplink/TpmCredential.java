package io.gatehouse.edge.uplink;

import io.gatehouse.device.tpm.TpmIdentity;
import io.gatehouse.device.tpm.transport.TpmAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Signs the uplink's SAS tokens inside a TPM with the identity key that provisioning imported
 * there (TPM attestation through the service gateway's DPS endpoint): the key cannot be read or
 * copied, so the edge cannot be cloned. The TPM is opened for each token and closed again: a token
 * is made once per connection attempt, swtpm serves one client at a time, and a TPM that restarted
 * in between is simply opened afresh.
 */
public final class TpmCredential implements CredentialSource {
  private final String hostName;
  private final String edgeId;
  private final String address;
  private final Duration tokenLifetime;

  private TpmCredential(String hostName, String edgeId, String address, Duration tokenLifetime) {
    this.hostName = Objects.requireNonNull(hostName, "hostName");
    this.edgeId = Objects.requireNonNull(edgeId, "edgeId");
    this.address = Objects.requireNonNull(address, "address");
    this.tokenLifetime = Objects.requireNonNull(tokenLifetime, "tokenLifetime");
  }

  /**
   * Checks now that the TPM at {@code address} answers and holds an identity key, so that an edge
   * that was never provisioned stops at its start with the reason instead of retrying forever.
   *
   * @param address {@code swtpm://host:port} or a device path such as {@code /dev/tpmrm0}
   * @throws IllegalArgumentException if the address is malformed, or the TPM holds no identity key
   * @throws RuntimeException if the TPM cannot be reached (the device SDK's message)
   */
  public static TpmCredential open(String hostName, String edgeId, String address, Duration tokenLifetime) {
    TpmAddress.parse(address);
    TpmCredential source = new TpmCredential(hostName, edgeId, address, tokenLifetime);
    try (TpmIdentity tpm = TpmIdentity.open(address)) {
      if (!tpm.hasIdentityKey()) {
        throw new IllegalArgumentException("uplink.tpm: the TPM at " + address + " holds no identity key: provision the"
            + " edge first (an individual TPM enrollment with deviceKind edge for registration id "
            + tpm.registrationId() + ", then register with TPM attestation at the service gateway's DPS endpoint)");
      }
    }
    return source;
  }

  @Override
  public UplinkCredential credential(Instant now) {
    Instant expiry = now.plus(tokenLifetime);
    // Only the MAC is computed in the TPM; sr is the device resource, percent-encoded as Azure sends it.
    try (TpmIdentity tpm = TpmIdentity.open(address)) {
      String token = tpm.sasToken(hostName + "/devices/" + edgeId, expiry);
      return new UplinkCredential.SasToken(AzureUserName.of(hostName, edgeId), token.getBytes(StandardCharsets.UTF_8),
          expiry);
    }
  }

  @Override
  public String kind() {
    return "tpm (" + address + ")";
  }
}
