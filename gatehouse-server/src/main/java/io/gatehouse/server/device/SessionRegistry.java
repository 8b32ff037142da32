package io.gatehouse.server.device;

import io.gatehouse.server.device.DeviceSession.TerminationReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live sessions of this gateway node, one per device id: a new session for the same device
 * takes over (the old one is terminated), and revoking a device terminates its session at once.
 * Inbox wake-ups reach the device's own session and, for a leaf, its field gateway's session, which
 * may be receiving on the leaf's behalf.
 */
public final class SessionRegistry {
  private final LeafDirectory leaves;
  private final ConcurrentHashMap<String, DeviceSession> sessions = new ConcurrentHashMap<>();
  /**
   * Revocations per device. A transport reads it before authenticating and hands it back on
   * {@link #register}: a revocation that landed while the credential was being checked (after
   * the store was read, before the session existed) then still ends the session.
   */
  private final ConcurrentHashMap<String, Long> revocations = new ConcurrentHashMap<>();

  public SessionRegistry(LeafDirectory leaves) {
    this.leaves = leaves;
  }

  /** The device's revocation generation; read it before authenticating. */
  public long revocationGeneration(String deviceId) {
    return revocations.getOrDefault(deviceId, 0L);
  }

  /**
   * Registers {@code session}; a previous session of the same device is terminated. If the device
   * was revoked since {@code generationBeforeAuthentication} was read, the new session is
   * terminated at once.
   */
  public void register(DeviceSession session, long generationBeforeAuthentication) {
    DeviceSession previous = sessions.put(session.deviceId(), session);
    if (previous != null && previous != session) {
      previous.terminate(TerminationReason.SESSION_TAKEN_OVER);
    }
    if (revocationGeneration(session.deviceId()) != generationBeforeAuthentication) {
      sessions.remove(session.deviceId(), session);
      session.terminate(TerminationReason.REVOKED);
    }
  }

  /** Forgets {@code session} if it is still the current one of its device. */
  public void unregister(DeviceSession session) {
    sessions.remove(session.deviceId(), session);
  }

  /** Ends the device's session, if any, at once; returns whether there was one. */
  public boolean revoke(String deviceId) {
    revocations.merge(deviceId, 1L, Long::sum); // before the removal, so a racing register sees it
    DeviceSession session = sessions.remove(deviceId);
    if (session != null) {
      session.terminate(TerminationReason.REVOKED);
      return true;
    }
    return false;
  }

  /**
   * Wakes the sessions connected here that may pull {@code deviceId}'s inbox: the device's own,
   * and its parent edge's if it is a leaf (the edge decides whether it is subscribed to that leaf).
   */
  public void notifyInbox(String deviceId) {
    DeviceSession own = sessions.get(deviceId);
    if (own != null) {
      own.inboxChanged(deviceId);
    }
    notifyParentEdge(deviceId);
  }

  /** Wakes only the session of {@code deviceId}'s parent edge, if it is a leaf and its edge is connected here. */
  public void notifyParentEdge(String deviceId) {
    leaves.leaf(deviceId).map(link -> sessions.get(link.parentId()))
        .ifPresent(parent -> parent.inboxChanged(deviceId));
  }

  /** Room in the window of {@code deviceId}'s own session connected here, if any: see {@link DeviceSession#reserveInboxDelivery}. */
  public Optional<InboxReservation> reserveInboxDelivery(String deviceId) {
    DeviceSession own = sessions.get(deviceId);
    return own == null ? Optional.empty() : own.reserveInboxDelivery();
  }

  public boolean isConnected(String deviceId) {
    return sessions.containsKey(deviceId);
  }

  public int size() {
    return sessions.size();
  }

  /** Ends every session (shutdown). */
  public void terminateAll() {
    List<DeviceSession> all = new ArrayList<>(sessions.values());
    sessions.clear();
    all.forEach(s -> s.terminate(TerminationReason.SERVER_SHUTTING_DOWN));
  }
}
