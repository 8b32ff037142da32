package io.gatehouse.server.auth;

import io.gatehouse.core.identity.ServiceIdentity;

/** An authenticated service identity and where its request came from. */
public record Caller(ServiceIdentity identity, String source) {
  /** How the caller appears in audit lines. */
  public String actor() {
    return "service:" + identity.name();
  }
}
