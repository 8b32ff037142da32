package io.gatehouse.edge.local.coap;

import io.gatehouse.edge.local.GuardedSink;
import io.gatehouse.edge.local.LeafDeliveryException.Reason;
import io.gatehouse.edge.local.LeafDeliveryException;
import io.gatehouse.edge.local.coap.CommandListener.BetweenPolls;
import io.gatehouse.edge.local.coap.CommandListener.Observation;
import io.gatehouse.edge.local.coap.CommandListener.ParkedGet;
import io.gatehouse.edge.local.coap.DeliveryObserver.Outcome;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.observe.ObserveRelation;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands of one leaf: how it asks for them ({@link CommandListener}), a bounded queue, and at
 * most one command in flight. A command goes out as a confirmable message (a notification to an
 * observer, the separate response to a waiting GET); its future completes on the leaf's ACK and
 * fails on RST, on no ACK after CoAP's retransmissions (or a deadline just beyond them), or when the
 * leaf or the endpoint goes away. Used on the {@link StateThread} only.
 */
final class LeafInbox {
  /** What an inbox needs from the configuration. */
  record Settings(int queueCapacity, Duration commandWait, Duration ackDeadline) {}

  private record Command(byte[] payload, CompletableFuture<Void> result) {}

  /** A command sent and awaiting the leaf's ACK. */
  private static final class InFlight {
    final Command command;
    final Response response;
    ScheduledFuture<?> deadline;

    InFlight(Command command, Response response) {
      this.command = command;
      this.response = response;
    }
  }

  private static final Logger log = LoggerFactory.getLogger(LeafInbox.class);

  private final String leafId;
  private final GuardedSink sink;
  private final StateThread state;
  private final Settings settings;
  private final ObserveSequence observeNumbers;
  private final ArrayDeque<Command> queue = new ArrayDeque<>();
  private CommandListener listener;
  /** Changes with every new listener, so a timer of a replaced one does nothing. */
  private long generation;
  private InFlight inFlight;

  LeafInbox(String leafId, GuardedSink sink, StateThread state, Settings settings, ObserveSequence observeNumbers) {
    this.leafId = leafId;
    this.sink = sink;
    this.state = state;
    this.settings = settings;
    this.observeNumbers = observeNumbers;
  }

  /** Observing, waiting on a GET, or between two GETs. */
  boolean asking() {
    return listener != null;
  }

  /** Queues a command for a leaf that is {@link #asking()}. */
  void offer(byte[] payload, CompletableFuture<Void> result) {
    if (queue.size() >= settings.queueCapacity()) {
      fail(result, Reason.QUEUE_FULL, settings.queueCapacity() + " commands are already queued; retry later");
      return;
    }
    queue.add(new Command(payload, result));
    pump();
  }

  void observe(ObserveRelation relation) {
    if (relation.isCanceled()) {
      return;
    }
    boolean wasAsking = asking();
    replaceListener(new Observation(relation));
    log.debug("leaf observes its commands leaf={} source={}", leafId, relation.getSource());
    started(wasAsking);
  }

  void observationEnded(ObserveRelation relation) {
    if (listener instanceof Observation observation && observation.relation() == relation) {
      listener = null;
      generation++;
      log.debug("leaf stopped observing its commands leaf={}", leafId);
      stopped(Reason.NOT_SUBSCRIBED, "the leaf stopped observing /commands before the command was sent");
    }
  }

  void poll(CoapExchange exchange) {
    boolean wasAsking = asking();
    long expected = generation + 1;
    ScheduledFuture<?> timeout = state.schedule(() -> pollExpired(expected), settings.commandWait());
    replaceListener(new ParkedGet(exchange, timeout));
    started(wasAsking);
  }

  /** The leaf's DTLS session ended, or the endpoint closes: everything pending fails with the reason. */
  void gone(Reason reason, String detail) {
    boolean wasAsking = asking();
    switch (listener) {
      case null -> { }
      case Observation observation -> observation.relation().cancel();
      case ParkedGet parked -> parked.timeout().cancel(false); // nobody left to answer
      case BetweenPolls between -> between.expiry().cancel(false);
    }
    listener = null;
    generation++;
    if (inFlight != null) {
      InFlight flight = inFlight;
      inFlight = null;
      flight.deadline.cancel(false);
      flight.response.cancel();
      fail(flight.command.result(), reason,
          detail + " before the leaf acknowledged; it may or may not have the command");
    }
    failQueued(reason, detail + " before the command was sent");
    if (wasAsking) {
      sink.commandsUnwanted(leafId);
    }
  }

  private void started(boolean wasAsking) {
    if (!wasAsking) {
      sink.commandsWanted(leafId);
    }
    pump();
  }

  private void stopped(Reason reason, String detail) {
    failQueued(reason, detail);
    sink.commandsUnwanted(leafId);
  }

  private void replaceListener(CommandListener next) {
    switch (listener) {
      case null -> { }
      case Observation observation -> {
        if (!(next instanceof Observation same && same.relation() == observation.relation())) {
          observation.relation().cancel(); // one listener per leaf: the newest wins
        }
      }
      case ParkedGet parked -> {
        parked.timeout().cancel(false);
        answerEmpty(parked.exchange()); // superseded by the leaf's newer request
      }
      case BetweenPolls between -> between.expiry().cancel(false);
    }
    listener = next;
    generation++;
  }

  private void pollExpired(long expectedGeneration) {
    if (generation == expectedGeneration && listener instanceof ParkedGet parked) {
      listener = null;
      generation++;
      answerEmpty(parked.exchange());
      stopped(Reason.NOT_SUBSCRIBED, "the leaf's GET of /commands ended before the command was sent");
    }
  }

  private void lingerExpired(long expectedGeneration) {
    if (generation == expectedGeneration && listener instanceof BetweenPolls) {
      listener = null;
      generation++;
      log.debug("leaf did not poll its commands again leaf={} waitMs={}", leafId, settings.commandWait().toMillis());
      stopped(Reason.NOT_SUBSCRIBED, "the leaf did not GET /commands again within "
          + settings.commandWait().toMillis() + " ms");
    }
  }

  private void pump() {
    while (inFlight == null && !queue.isEmpty()
        && (listener instanceof Observation || listener instanceof ParkedGet)) {
      Command next = queue.poll();
      if (!next.result().isDone()) { // the caller may have given up (cancelled) meanwhile
        send(next);
      }
    }
  }

  private void send(Command command) {
    Response response = new Response(ResponseCode.CONTENT);
    response.setPayload(command.payload());
    InFlight flight = new InFlight(command, response);
    response.addMessageObserver(new DeliveryObserver(outcome -> state.post(() -> settled(flight, outcome))));
    flight.deadline = state.schedule(() -> deadlinePassed(flight), settings.ackDeadline());
    inFlight = flight;
    switch (listener) {
      case Observation observation -> {
        response.getOptions().setObserve(observeNumbers.next());
        observation.relation().getExchange().sendResponse(response); // CON: the resource's observe type
      }
      case ParkedGet parked -> {
        parked.timeout().cancel(false);
        response.setType(Type.CON); // the GET was already ACKed: a separate response the leaf must ACK
        parked.exchange().respond(response);
        long expected = ++generation; // not replaceListener: that would answer the GET a second time
        listener = new BetweenPolls(state.schedule(() -> lingerExpired(expected), settings.commandWait()));
      }
      case null, default -> throw new IllegalStateException("no listener to send a command to leaf " + leafId);
    }
  }

  private void settled(InFlight flight, Outcome outcome) {
    if (inFlight != flight) {
      return; // already failed by the deadline or because the leaf went away
    }
    inFlight = null;
    flight.deadline.cancel(false);
    CompletableFuture<Void> result = flight.command.result();
    switch (outcome) {
      case ACKNOWLEDGED -> result.complete(null);
      case REJECTED -> fail(result, Reason.REFUSED_BY_LEAF, "the leaf answered the command with RST");
      case TIMED_OUT -> fail(result, Reason.NO_ACKNOWLEDGEMENT, "no ACK from the leaf after CoAP's retransmissions");
      case CANCELLED, SEND_FAILED -> fail(result, Reason.CONNECTION_LOST,
          "the message was " + (outcome == Outcome.CANCELLED ? "cancelled" : "not sent")
              + " (observation or DTLS session ended); the leaf may or may not have the command");
    }
    log.debug("leaf command settled leaf={} outcome={}", leafId, outcome);
    pump();
  }

  private void deadlinePassed(InFlight flight) {
    if (inFlight == flight) {
      inFlight = null;
      flight.response.cancel();
      log.info("leaf did not acknowledge a command leaf={} deadlineMs={}", leafId, settings.ackDeadline().toMillis());
      fail(flight.command.result(), Reason.NO_ACKNOWLEDGEMENT,
          "no ACK within " + settings.ackDeadline().toMillis() + " ms");
      pump();
    }
  }

  private void answerEmpty(CoapExchange exchange) {
    try {
      exchange.respond(ResponseCode.CONTENT); // 2.05 without payload: no command for now
    } catch (RuntimeException e) {
      log.debug("empty answer to a GET of /commands not sent leaf={} error=\"{}\"", leafId, e.toString());
    }
  }

  private void failQueued(Reason reason, String detail) {
    while (!queue.isEmpty()) {
      fail(queue.poll().result(), reason, detail);
    }
  }

  private void fail(CompletableFuture<Void> result, Reason reason, String detail) {
    result.completeExceptionally(new LeafDeliveryException(leafId, reason, detail));
  }
}
