package io.gatehouse.edge.local.coap;

import java.util.concurrent.ScheduledFuture;
import org.eclipse.californium.core.observe.ObserveRelation;
import org.eclipse.californium.core.server.resources.CoapExchange;

/** How a leaf currently asks for its commands; a leaf has at most one. */
sealed interface CommandListener {
  /** The leaf observes {@code /commands}: each command is a confirmable notification. */
  record Observation(ObserveRelation relation) implements CommandListener {}

  /** A GET of {@code /commands} without Observe waits (already ACKed): a command becomes its CON response. */
  record ParkedGet(CoapExchange exchange, ScheduledFuture<?> timeout) implements CommandListener {}

  /**
   * A polling leaf got a command and is expected to GET again: it still counts as asking, and commands
   * for it are queued until its next GET or until {@code expiry}.
   */
  record BetweenPolls(ScheduledFuture<?> expiry) implements CommandListener {}
}
