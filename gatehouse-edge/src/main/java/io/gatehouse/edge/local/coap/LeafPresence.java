package io.gatehouse.edge.local.coap;

import io.gatehouse.edge.local.GuardedSink;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which leaves count as connected, for {@code leafConnected}/{@code leafDisconnected}. CoAP has no
 * connection, so presence follows the leaf's DTLS session and its traffic:
 *
 * <ul>
 *   <li>connected: its DTLS handshake completed (a newer session of the same leaf, e.g. after a
 *       reboot, reports it connected again: a takeover, which voids what waited on the older
 *       session), or it sent a message after it had counted as disconnected for being idle;
 *   <li>disconnected: its DTLS connection was removed (evicted from the full store, or replaced by a
 *       newer one that then counts instead), it sent close_notify, it sent nothing for
 *       {@code sessionIdle} while not asking for commands, or the endpoint closed.
 * </ul>
 *
 * Used on the {@link StateThread}, except {@link #seen}, which Californium's threads call for every
 * message and which posts an event only when a leaf comes back.
 */
final class LeafPresence {
  private static final Logger log = LoggerFactory.getLogger(LeafPresence.class);

  /** A leaf's current DTLS connection (Scandium's object, compared by identity) and peer address. */
  private static final class Session {
    final Object connection;
    final InetSocketAddress peer;
    boolean present;

    Session(Object connection, InetSocketAddress peer) {
      this.connection = connection;
      this.peer = peer;
    }
  }

  private final GuardedSink sink;
  private final StateThread state;
  private final long idleNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Session> sessions = new HashMap<>();
  /** Last message time of the leaves counted present; written by Californium's threads. */
  private final ConcurrentMap<String, Long> lastSeen = new ConcurrentHashMap<>();
  private boolean closed;

  LeafPresence(GuardedSink sink, StateThread state, Duration idle, LongSupplier nanoTime) {
    this.sink = sink;
    this.state = state;
    this.idleNanos = idle.toNanos();
    this.nanoTime = nanoTime;
  }

  /** Any thread: the leaf sent a message. Cheap: an event is posted only if it did not count as present. */
  void seen(String leafId, InetSocketAddress peer) {
    if (lastSeen.put(leafId, nanoTime.getAsLong()) == null) {
      state.post(() -> cameBack(leafId, peer));
    }
  }

  boolean isPresent(String leafId) {
    Session session = sessions.get(leafId);
    return session != null && session.present;
  }

  /**
   * The leaf completed a DTLS handshake on this connection. Returns true if it replaces another
   * present connection of the leaf (a takeover), whose observation or waiting GET is then void.
   */
  boolean established(String leafId, Object connection, InetSocketAddress peer) {
    if (closed) {
      return false;
    }
    Session previous = sessions.get(leafId);
    if (previous != null && previous.connection == connection && previous.present) {
      return false; // a renewed session on the same connection
    }
    boolean takeover = previous != null && previous.present;
    Session session = new Session(connection, peer);
    sessions.put(leafId, session);
    markPresent(leafId, session, takeover ? "takeover by a new DTLS session" : "handshake");
    return takeover;
  }

  /** Scandium removed a connection; returns the leaf that is gone with it, if it was its current one. */
  Optional<String> removed(Object connection) {
    for (Map.Entry<String, Session> entry : sessions.entrySet()) {
      if (entry.getValue().connection == connection) {
        String leafId = entry.getKey();
        boolean wasPresent = entry.getValue().present;
        sessions.remove(leafId);
        if (wasPresent) {
          markAbsent(leafId, "DTLS connection removed");
          return Optional.of(leafId);
        }
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The peer sent close_notify; returns the leaf that is gone, if it was present there. */
  Optional<String> closedByLeaf(InetSocketAddress peer) {
    for (Map.Entry<String, Session> entry : sessions.entrySet()) {
      Session session = entry.getValue();
      if (session.present && peer.equals(session.peer)) {
        session.present = false;
        markAbsent(entry.getKey(), "the leaf closed its DTLS session");
        return Optional.of(entry.getKey());
      }
    }
    return Optional.empty();
  }

  /** Reports leaves idle for longer than {@code sessionIdle} disconnected, unless {@code busy} (asking for commands). */
  void sweep(Predicate<String> busy) {
    long now = nanoTime.getAsLong();
    for (Map.Entry<String, Session> entry : sessions.entrySet()) {
      String leafId = entry.getKey();
      Long seen = lastSeen.get(leafId);
      if (!entry.getValue().present || seen == null || now - seen < idleNanos || busy.test(leafId)) {
        continue;
      }
      // Conditional: a message that arrived meanwhile keeps the leaf present.
      if (lastSeen.remove(leafId, seen)) {
        entry.getValue().present = false;
        sink.leafDisconnected(leafId);
        log.info("leaf idle, counted disconnected leaf={} idleSeconds={}", leafId,
            Duration.ofNanos(now - seen).toSeconds());
      }
    }
  }

  /** The endpoint closes: every present leaf is reported disconnected; later events are ignored. */
  List<String> closeAll() {
    closed = true;
    List<String> gone = new ArrayList<>();
    sessions.forEach((leafId, session) -> {
      if (session.present) {
        gone.add(leafId);
        markAbsent(leafId, "endpoint closed");
      }
    });
    sessions.clear();
    return gone;
  }

  private void cameBack(String leafId, InetSocketAddress peer) {
    if (closed) {
      return;
    }
    Session session = sessions.computeIfAbsent(leafId, id -> new Session(null, peer));
    if (!session.present) {
      markPresent(leafId, session, "traffic after idle");
    }
  }

  private void markPresent(String leafId, Session session, String why) {
    session.present = true;
    lastSeen.putIfAbsent(leafId, nanoTime.getAsLong());
    log.info("leaf connected leaf={} source={} why=\"{}\"", leafId, session.peer, why);
    sink.leafConnected(leafId);
  }

  private void markAbsent(String leafId, String why) {
    lastSeen.remove(leafId);
    log.info("leaf disconnected leaf={} why=\"{}\"", leafId, why);
    sink.leafDisconnected(leafId);
  }
}
