package io.gatehouse.server.inbox;

import io.gatehouse.core.audit.AuditEvent.Outcome;
import io.gatehouse.core.authz.Permission;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityIds;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.message.AckMode;
import io.gatehouse.core.message.Feedback;
import io.gatehouse.core.message.InboxMessage;
import io.gatehouse.core.message.MessageProperties;
import io.gatehouse.server.audit.AuditLog;
import io.gatehouse.server.auth.Caller;
import io.gatehouse.server.auth.Guard;
import io.gatehouse.server.device.AuthenticatedDevice;
import io.gatehouse.server.device.InboxReservation;
import io.gatehouse.server.device.LeafDirectory;
import io.gatehouse.server.device.SessionRegistry;
import io.gatehouse.store.AuditLine;
import io.gatehouse.store.DeviceStore;
import io.gatehouse.store.DirectLock;
import io.gatehouse.store.Durability;
import io.gatehouse.store.Inbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Messages to devices, addressed by name and kept in the store until the device asks: services
 * send (needs {@code messages.send} covering the device) and read their feedback; devices receive
 * and settle through whichever transport they use; a field gateway also receives for its enabled
 * leaves. Blocks on the store: call from virtual threads ({@link #receiveRefusal} and the
 * {@code Async} calls excepted).
 */
public final class InboxService {
  private final Inbox inbox;
  private final DeviceStore devices;
  private final Guard guard;
  private final AuditLog audit;
  private final SessionRegistry sessions;
  private final LeafDirectory leaves;
  private final InboxSettings settings;
  private final Clock clock;

  public InboxService(Inbox inbox, DeviceStore devices, Guard guard, AuditLog audit, SessionRegistry sessions,
      LeafDirectory leaves, InboxSettings settings, Clock clock) {
    this.inbox = inbox;
    this.devices = devices;
    this.guard = guard;
    this.audit = audit;
    this.sessions = sessions;
    this.leaves = leaves;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * @param ttl {@code null} for the default; at most {@link InboxSettings#maxTtl()}
   * @throws io.gatehouse.core.error.LimitExceededException if the device's inbox is full
   */
  public InboxMessage send(Caller caller, String deviceId, MessageProperties properties, byte[] payload,
      Duration ttl, AckMode ack) {
    IdentityIds.requireValid("device id", deviceId);
    Device device = devices.find(deviceId).orElse(null);
    if (device == null) {
      guard.require(caller, Permission.MESSAGES_SEND, "message.send", "device:" + deviceId);
      throw new NotFoundException("no device '" + deviceId + "'");
    }
    guard.require(caller, Permission.MESSAGES_SEND, device, "message.send");
    Duration lifetime = ttl == null ? settings.defaultTtl() : ttl;
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(settings.maxTtl()) > 0) {
      throw new InvalidInputException("ttl must be more than 0 and at most " + settings.maxTtl().toHours() + " h");
    }
    if (payload.length > InboxMessage.MAX_SIZE) {
      throw new InvalidInputException("message payload is " + payload.length + " bytes; at most "
          + InboxMessage.MAX_SIZE + " are accepted");
    }
    Instant now = clock.instant();
    // Written with the message, in its transaction: the sequence is assigned there.
    AuditLine<InboxMessage> line = stored -> audit.event(caller.actor(), "message.send", "device:" + deviceId,
        Outcome.SUCCESS, "sequence " + stored.sequence(), caller.source());
    // A session waiting for this inbox gets the message locked in the transaction that stores it
    // and publishes it at once, without a pull of its own (one transaction instead of two).
    Optional<InboxReservation> reservation = sessions.reserveInboxDelivery(deviceId);
    InboxMessage queued;
    try {
      queued = inbox.enqueue(new InboxMessage(deviceId, 0, caller.identity().name(), properties, payload,
          ack, now, now.plus(lifetime), 0, null, null), settings.maxDepth(), line,
          reservation.map(r -> new DirectLock(settings.lockDuration(), r::committed)).orElse(null));
    } catch (RuntimeException e) {
      reservation.ifPresent(InboxReservation::cancel);
      throw e;
    }
    if (reservation.isPresent()) {
      sessions.notifyParentEdge(deviceId);
    } else {
      sessions.notifyInbox(deviceId);
    }
    audit.committed(line.describe(queued));
    return queued;
  }

  /** Feedback on the messages {@code caller} sent. */
  public List<Feedback> feedback(Caller caller, long fromSequence, int limit) {
    guard.require(caller, Permission.MESSAGES_SEND, "message.feedback", "feedback");
    return inbox.feedback(caller.identity().name(), fromSequence, limit);
  }

  /**
   * Why {@code receiver} may not take the messages of {@code deviceId}'s inbox, or empty if it may:
   * a device receives its own; a field gateway also those of its leaves while they are its enabled
   * children. In memory and cheap, so transports ask before every pull (never blocks).
   */
  public Optional<String> receiveRefusal(AuthenticatedDevice receiver, String deviceId) {
    if (receiver.id().equals(deviceId)) {
      return Optional.empty();
    }
    if (receiver.device().kind() != IdentityKind.EDGE) {
      return Optional.of("device '" + receiver.id() + "' receives only its own messages, not those of '" + deviceId
          + "'; only a field gateway (kind edge) receives for other devices, its leaves");
    }
    return leaves.refusal(receiver.id(), deviceId)
        .map(why -> "edge '" + receiver.id() + "' may not receive for '" + deviceId + "': " + why);
  }

  /** Locks the next message for an authenticated device, if any; on disk before it returns. */
  public Optional<InboxMessage> receive(String deviceId) {
    return inbox.lockNext(deviceId, settings.lockDuration(), settings.maxDeliveryCount(), clock.instant());
  }

  /**
   * Locks up to {@code max} messages, oldest first; fewer means the inbox has no more for now. Does
   * not block (an event loop calls it): calls of this and {@link #settleAsync} of one durability from
   * one thread reach the store in the order made (see {@link Inbox#lockNextAsync}); a full write queue fails the
   * future at once. With {@link Durability#DEFERRED} the locks may reach the disk after the future
   * completes (MQTT delivery: a lock lost to a power failure only makes the message come again).
   */
  public CompletableFuture<List<InboxMessage>> receiveAsync(String deviceId, int max, Durability durability) {
    return inbox.lockNextAsync(deviceId, max, settings.lockDuration(), settings.maxDeliveryCount(), clock.instant(),
        durability);
  }

  /** Completes, abandons or rejects a locked message without blocking, in order (see {@link #receiveAsync}). */
  public CompletableFuture<Void> settleAsync(String deviceId, String lockToken, Inbox.Settlement settlement,
      Durability durability) {
    return inbox.settleAsync(deviceId, lockToken, settlement, clock.instant(), durability);
  }

  public void complete(String deviceId, String lockToken) {
    complete(deviceId, lockToken, Durability.IMMEDIATE);
  }

  public void complete(String deviceId, String lockToken, Durability durability) {
    inbox.complete(deviceId, lockToken, clock.instant(), durability);
  }

  public void abandon(String deviceId, String lockToken) {
    abandon(deviceId, lockToken, Durability.IMMEDIATE);
  }

  public void abandon(String deviceId, String lockToken, Durability durability) {
    inbox.abandon(deviceId, lockToken, clock.instant(), durability);
  }

  public void reject(String deviceId, String lockToken) {
    reject(deviceId, lockToken, Durability.IMMEDIATE);
  }

  public void reject(String deviceId, String lockToken, Durability durability) {
    inbox.reject(deviceId, lockToken, clock.instant(), durability);
  }

  public InboxSettings settings() {
    return settings;
  }
}
