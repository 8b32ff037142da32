package io.gatehouse.cli.client;

import io.gatehouse.core.sas.SasSigner;
import java.time.Instant;
import java.util.Arrays;

/**
 * The service identity the CLI acts as, from a {@code HostName=…;SharedAccessKeyName=…;
 * SharedAccessKey=…} connection string.
 *
 * @param hostName the gateway's host name: the {@code sr} of every token
 * @param keyName the service identity's name: the {@code skn} of every token
 * @param key the decoded shared access key; a secret, never shown by {@link #toString()}
 * @param source where the credential came from, e.g. {@code --credential}, for messages
 */
public record ServiceCredential(String hostName, String keyName, byte[] key, String source) {
  public ServiceCredential {
    key = key.clone();
  }

  /** A service SAS token for the gateway, valid until {@code expiry}. A bearer secret: never print it. */
  public String token(Instant expiry) {
    return SasSigner.token(hostName, key, expiry, keyName);
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceCredential c && c.hostName.equals(hostName) && c.keyName.equals(keyName)
        && Arrays.equals(c.key, key) && c.source.equals(source);
  }

  @Override
  public int hashCode() {
    return hostName.hashCode() * 31 + keyName.hashCode();
  }

  @Override
  public String toString() {
    return "ServiceCredential[hostName=" + hostName + ", keyName=" + keyName + ", key=redacted, source=" + source + "]";
  }
}
