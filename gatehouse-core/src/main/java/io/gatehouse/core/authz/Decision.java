package io.gatehouse.core.authz;

/** The answer of the authorization decision point, with the reason in words a caller can act on. */
public sealed interface Decision {
  record Allow() implements Decision {}

  record Deny(String reason, Permission missing) implements Decision {}

  Allow ALLOW = new Allow();

  default boolean allowed() {
    return this instanceof Allow;
  }
}
