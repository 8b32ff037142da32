package io.gatehouse.edge.local.coap;

import io.gatehouse.edge.local.GuardedSink;
import io.gatehouse.edge.local.LeafDeliveryException.Reason;
import io.gatehouse.edge.local.LeafDeliveryException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.observe.ObserveRelation;
import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * Routes commands and the leaves' requests for them to each leaf's {@link LeafInbox}, and refuses
 * what no inbox can take: a leaf that does not ask, a command too large, an endpoint that closed.
 * There is one inbox per leaf that ever asked, so at most one per configured PSK. Used on the
 * {@link StateThread} only.
 */
final class CommandDispatcher {
  private final GuardedSink sink;
  private final StateThread state;
  private final LeafInbox.Settings settings;
  private final int maxPayloadBytes;
  private final Predicate<String> present;
  private final ObserveSequence observeNumbers;
  private final Map<String, LeafInbox> inboxes = new HashMap<>();
  private boolean closed;

  CommandDispatcher(GuardedSink sink, StateThread state, LeafInbox.Settings settings, int maxPayloadBytes,
      Predicate<String> present, ObserveSequence observeNumbers) {
    this.sink = sink;
    this.state = state;
    this.settings = settings;
    this.maxPayloadBytes = maxPayloadBytes;
    this.present = present;
    this.observeNumbers = observeNumbers;
  }

  void deliver(String leafId, byte[] payload, CompletableFuture<Void> result) {
    LeafInbox inbox = inboxes.get(leafId);
    if (closed) {
      fail(result, leafId, Reason.ADAPTER_CLOSED, "the local CoAP endpoint is closed");
    } else if (payload.length > maxPayloadBytes) {
      fail(result, leafId, Reason.TOO_LARGE, payload.length + " bytes exceed the " + maxPayloadBytes
          + " bytes a command may have (it must fit one CoAP message)");
    } else if (inbox != null && inbox.asking()) {
      inbox.offer(payload, result);
    } else if (present.test(leafId)) {
      fail(result, leafId, Reason.NOT_SUBSCRIBED, "the leaf is connected but neither observes nor polls /commands");
    } else {
      fail(result, leafId, Reason.NOT_CONNECTED,
          "the leaf has no DTLS session with the local CoAP endpoint; retry after it connects");
    }
  }

  void observationStarted(String leafId, ObserveRelation relation) {
    if (closed) {
      relation.cancel();
    } else {
      inbox(leafId).observe(relation);
    }
  }

  void observationEnded(String leafId, ObserveRelation relation) {
    LeafInbox inbox = inboxes.get(leafId);
    if (inbox != null) {
      inbox.observationEnded(relation);
    }
  }

  void pollStarted(String leafId, CoapExchange exchange) {
    if (closed) {
      exchange.respond(ResponseCode.SERVICE_UNAVAILABLE, "the edge's CoAP endpoint is shutting down");
    } else {
      inbox(leafId).poll(exchange);
    }
  }

  /** Observing, waiting on a GET or between two GETs: such a leaf does not count as idle. */
  boolean isAsking(String leafId) {
    LeafInbox inbox = inboxes.get(leafId);
    return inbox != null && inbox.asking();
  }

  /** The leaf's DTLS session ended or was replaced: its observation or waiting GET is void, its commands fail. */
  void leafGone(String leafId, String why) {
    LeafInbox inbox = inboxes.get(leafId);
    if (inbox != null) {
      inbox.gone(Reason.CONNECTION_LOST, why);
    }
  }

  /** Every pending and later command fails with ADAPTER_CLOSED. */
  void closeAll() {
    closed = true;
    inboxes.values().forEach(inbox -> inbox.gone(Reason.ADAPTER_CLOSED, "the local CoAP endpoint closed"));
  }

  private LeafInbox inbox(String leafId) {
    return inboxes.computeIfAbsent(leafId, id -> new LeafInbox(id, sink, state, settings, observeNumbers));
  }

  private static void fail(CompletableFuture<Void> result, String leafId, Reason reason, String detail) {
    result.completeExceptionally(new LeafDeliveryException(leafId, reason, detail));
  }
}
