package io.gatehouse.edge.uplink;

import java.time.Instant;
import java.util.Objects;

/**
 * What the uplink presents in its MQTT CONNECT: the Azure-style user name and a password (a SAS
 * token), valid until {@code expiresAt}. {@link #toString()} never shows the password.
 */
public record UplinkCredential(String userName, byte[] password, Instant expiresAt) {
  public UplinkCredential {
    Objects.requireNonNull(userName, "userName");
    Objects.requireNonNull(expiresAt, "expiresAt");
    password = password.clone();
  }

  @Override
  public byte[] password() {
    return password.clone();
  }

  @Override
  public String toString() {
    return "UplinkCredential[userName=" + userName + ", expiresAt=" + expiresAt + ", password=<hidden>]";
  }
}
