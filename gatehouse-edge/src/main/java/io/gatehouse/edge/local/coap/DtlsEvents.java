package io.gatehouse.edge.local.coap;

import io.gatehouse.edge.local.GuardedSink;
import io.gatehouse.edge.local.coap.RefusalThrottle.Decision;
import java.net.InetSocketAddress;
import java.security.Principal;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.eclipse.californium.scandium.AlertHandler;
import org.eclipse.californium.scandium.ConnectionListener;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertDescription;
import org.eclipse.californium.scandium.dtls.AlertMessage;
import org.eclipse.californium.scandium.dtls.Connection;
import org.eclipse.californium.scandium.dtls.DTLSContext;
import org.eclipse.californium.scandium.dtls.Handshaker;
import org.eclipse.californium.scandium.dtls.SessionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Scandium tells about DTLS sessions, turned into leaf events: a completed handshake and a
 * removed connection or close_notify go to {@link LeafPresence} (and a gone leaf's commands fail);
 * a refused handshake is reported to the sink as an unknown leaf, through the
 * {@link RefusalThrottle}. A handshake is refused when the client's Finished does not decrypt (a MAC
 * error while the handshake is under way): the key is wrong, or the identity is unknown and
 * {@link LeafPskStore} handed out a decoy key. DTLS answers nothing to such a record, so the client
 * only sees its handshake time out. Handshakes that merely time out (a client that went away) or
 * offer no PSK suite are not reported, only logged at debug level.
 *
 * <p>Scandium calls in from its own threads, sometimes under its locks: everything but the throttle
 * is posted to the {@link StateThread}.
 */
final class DtlsEvents implements SessionListener, ConnectionListener, AlertHandler {
  private static final Logger log = LoggerFactory.getLogger(DtlsEvents.class);
  private static final int MAX_CLAIMED_ID = 128;

  private final LeafPsks psks;
  private final StateThread state;
  private final LeafPresence presence;
  private final CommandDispatcher commands;
  private final RefusalThrottle throttle;
  private final GuardedSink sink;

  DtlsEvents(LeafPsks psks, StateThread state, LeafPresence presence, CommandDispatcher commands,
      RefusalThrottle throttle, GuardedSink sink) {
    this.psks = psks;
    this.state = state;
    this.presence = presence;
    this.commands = commands;
    this.throttle = throttle;
    this.sink = sink;
  }

  @Override
  public void onConnectionEstablished(Connection connection) {
    String leafId = leafId(connection.getEstablishedPeerIdentity());
    InetSocketAddress peer = connection.getPeerAddress();
    if (leafId != null && psks.knows(leafId)) {
      state.post(() -> {
        if (presence.established(leafId, connection, peer)) {
          commands.leafGone(leafId, "a newer DTLS session of the leaf took over");
        }
      });
    }
  }

  @Override
  public void onConnectionRemoved(Connection connection) {
    state.post(() -> presence.removed(connection)
        .ifPresent(leafId -> commands.leafGone(leafId, "the leaf's DTLS session ended")));
  }

  @Override
  public void onAlert(InetSocketAddress peer, AlertMessage alert) {
    if (alert.getDescription() == AlertDescription.CLOSE_NOTIFY && peer != null) {
      state.post(() -> presence.closedByLeaf(peer)
          .ifPresent(leafId -> commands.leafGone(leafId, "the leaf closed its DTLS session")));
    }
  }

  @Override
  public void handshakeFailed(Handshaker handshaker, Throwable error) {
    log.debug("leaf DTLS handshake failed source={} error=\"{}\"", handshaker.getPeerAddress(), error.toString());
  }

  @Override
  public boolean onConnectionMacError(Connection connection) {
    Handshaker handshaker = connection.getOngoingHandshake();
    if (handshaker != null) {
      String identity = leafId(handshaker.getSession().getPeerIdentity());
      if (identity != null) {
        refused(identity, psks.knows(identity) ? "wrong PSK (the handshake's Finished message did not decrypt)"
            : "unknown PSK identity (no such leaf)", connection.getPeerAddress());
      }
    }
    return false; // Scandium's own MAC error filter decides whether to drop the connection
  }

  private void refused(String claimed, String reason, InetSocketAddress from) {
    if (from == null) {
      return;
    }
    String identity = printable(claimed);
    Decision decision = throttle.admit(identity, from.getAddress(), reason);
    if (decision.suppressedBefore() > 0) {
      log.warn("leaf handshake refusals not reported count={} (one report per leaf, source and reason per window)",
          decision.suppressedBefore());
    }
    if (decision.report()) {
      log.warn("leaf refused identity=\"{}\" reason=\"{}\" source={}", identity, reason, from);
      state.post(() -> sink.unknownLeaf(identity, reason, from));
    }
  }

  /** A claimed identity is attacker-chosen: at most 128 characters, control characters replaced, before logging it. */
  private static String printable(String claimed) {
    String clipped = claimed.length() <= MAX_CLAIMED_ID ? claimed : claimed.substring(0, MAX_CLAIMED_ID);
    return clipped.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
  }

  private static String leafId(Principal principal) {
    return principal instanceof PreSharedKeyIdentity psk ? psk.getIdentity() : null;
  }

  // Scandium callbacks without a leaf event.

  @Override
  public void handshakeStarted(Handshaker handshaker) {
    // presence starts with a completed handshake
  }

  @Override
  public void contextEstablished(Handshaker handshaker, DTLSContext establishedContext) {
    // onConnectionEstablished follows
  }

  @Override
  public void handshakeCompleted(Handshaker handshaker) {
    // onConnectionEstablished came first
  }

  @Override
  public void handshakeFlightRetransmitted(Handshaker handshaker, int flight) {
    // Scandium retransmits on its own
  }

  @Override
  public boolean onConnectionUpdatesSequenceNumbers(Connection connection, boolean writeSequenceNumber) {
    return false; // no record limit beyond Scandium's
  }

  @Override
  public void beforeExecution(Connection connection) {
    // no per-record bookkeeping
  }

  @Override
  public void updateExecution(Connection connection) {
    // no per-record bookkeeping
  }

  @Override
  public void afterExecution(Connection connection) {
    // no per-record bookkeeping
  }
}
