package io.gatehouse.server.provisioning;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The identity keys handed to TPMs in 401 challenges, waiting for the device's signed second
 * call. Held in memory only (a restart makes the device start over, which it does on any error),
 * for a few minutes, and bounded: past the bound a new challenge is refused rather than letting a
 * flood of first calls push out genuine devices' keys. Thread-safe.
 */
final class PendingTpmChallenges {
  static final Duration LIFETIME = Duration.ofMinutes(5);
  static final int MAX_PENDING = 10_000;

  record Pending(byte[] endorsementKey, byte[] key, Instant expiresAt) {}

  private final Clock clock;
  private final Map<String, Pending> pending = new LinkedHashMap<>();

  PendingTpmChallenges(Clock clock) {
    this.clock = clock;
  }

  /** @return false if the table is full of live challenges */
  synchronized boolean offer(String registrationId, byte[] endorsementKey, byte[] key) {
    Instant now = clock.instant();
    pending.values().removeIf(p -> p.expiresAt().isBefore(now));
    if (pending.size() >= MAX_PENDING && !pending.containsKey(registrationId)) {
      return false;
    }
    pending.remove(registrationId); // re-inserted last: insertion order is expiry order
    pending.put(registrationId, new Pending(endorsementKey.clone(), key.clone(), now.plus(LIFETIME)));
    return true;
  }

  /** The live challenge of {@code registrationId}, removed: a key answers one signed call. */
  synchronized Optional<Pending> take(String registrationId) {
    Pending found = pending.remove(registrationId);
    return found == null || found.expiresAt().isBefore(clock.instant()) ? Optional.empty() : Optional.of(found);
  }
}
