package io.gatehouse.server.registry;

import java.time.Instant;

/** A credential handed out once: a SAS token and when it stops working. */
public record IssuedCredential(String token, Instant expiresAt) {
  @Override
  public String toString() {
    return "IssuedCredential[redacted, expiresAt=" + expiresAt + "]";
  }
}
