package io.gatehouse.edge.uplink;

import io.gatehouse.core.sas.SasSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * Signs SAS tokens with the edge's symmetric key read from a file (base64, one line). The key sits
 * on disk, so this source names itself as insecure: a TPM-held key is the production choice.
 */
public final class SasKeyFileCredential implements CredentialSource {
  private final String hostName;
  private final String edgeId;
  private final byte[] key;
  private final Duration tokenLifetime;

  public SasKeyFileCredential(String hostName, String edgeId, byte[] key, Duration tokenLifetime) {
    this.hostName = Objects.requireNonNull(hostName, "hostName");
    this.edgeId = Objects.requireNonNull(edgeId, "edgeId");
    this.key = key.clone();
    this.tokenLifetime = Objects.requireNonNull(tokenLifetime, "tokenLifetime");
  }

  /** Reads the key file; refuses a file that others may read, since the key is the edge's identity. */
  public static SasKeyFileCredential fromFile(String hostName, String edgeId, Path keyFile, Duration tokenLifetime) {
    String text = OwnerOnlyFiles.read(keyFile, "key file").trim();
    try {
      return new SasKeyFileCredential(hostName, edgeId, Base64.getDecoder().decode(text), tokenLifetime);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("key file " + keyFile + " does not hold a base64 key: " + e.getMessage(), e);
    }
  }

  @Override
  public UplinkCredential credential(Instant now) {
    Instant expiry = now.plus(tokenLifetime);
    String token = SasSigner.token(hostName + "/devices/" + edgeId, key, expiry, null);
    return new UplinkCredential.SasToken(AzureUserName.of(hostName, edgeId), token.getBytes(StandardCharsets.UTF_8),
        expiry);
  }

  @Override
  public String kind() {
    return "sas-key-file (insecure: key on disk)";
  }
}
