package io.gatehouse.store;

import io.gatehouse.core.provisioning.IdScope;
import io.gatehouse.core.provisioning.Registration;
import java.time.Instant;
import java.util.Optional;

/** What the provisioning service remembers: its ID scope, assigned registrations, and used register tokens. */
public interface RegistrationStore {
  /**
   * The installation's ID scope: the stored one, or {@code candidate}, stored now, on the first call
   * ever. Never changes afterwards, since devices carry it in their configuration.
   */
  IdScope idScope(IdScope candidate);

  Optional<Registration> find(String registrationId);

  /**
   * Stores {@code registration} in place of the earlier state of its registration id; assigns a
   * fresh etag and update time, keeping the first creation time.
   */
  Registration save(Registration registration);

  /** One enrollment's registrations, in registration id order. */
  Page<Registration> listByEnrollment(String enrollmentReference, int pageSize, String continuationToken);

  /**
   * Marks a register token as used. {@code false} if it was used before (a replay). Entries of
   * tokens that expired before {@code now} are dropped on the way.
   */
  boolean consumeToken(String tokenHash, Instant expiresAt, Instant now);
}
