package io.gatehouse.edge.local;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where leaf adapters hand what leaves send and report who comes and goes. Every method is called on
 * an adapter's I/O thread and must return quickly, never blocking.
 */
public interface LeafSink {
  /**
   * Takes one message from an authenticated leaf. The returned future completes once the edge holds
   * the message durably (appended to its disk buffer); only then is the leaf told it was received
   * (MQTT: PUBACK). A failed future makes the adapter refuse the message to the leaf (MQTT 5: a
   * negative PUBACK, 0x97 for a {@code LimitExceededException}, 0x99 for an {@code
   * InvalidInputException} (a payload the edge cannot read); MQTT 3.1.1: the connection closes).
   *
   * @param properties metadata the leaf sent with the message (MQTT 5 user properties, and
   *     {@code content-type}); empty if none
   */
  CompletableFuture<Void> accept(String leafId, byte[] payload, Map<String, String> properties);

  /**
   * A connection attempt was refused: unknown leaf id, wrong or missing credential, or an id the
   * adapter cannot accept. {@code clientId} is what the client claimed (possibly empty, never a
   * secret); {@code reason} is a short human-readable phrase.
   */
  void unknownLeaf(String clientId, String reason, InetSocketAddress from);

  /** A leaf authenticated. Called again when a new connection of the same leaf takes over. */
  void leafConnected(String leafId);

  /** The leaf's last connection ended (not called for a connection that was taken over). */
  void leafDisconnected(String leafId);

  /**
   * The leaf asks for its commands (MQTT: subscribed to its command topic; CoAP: observing or
   * waiting on a GET): from now on the edge pulls the leaf's inbox from the service gateway and
   * hands each message to this adapter's {@link LeafAdapter#deliver}. Messages for a leaf are pulled
   * only while it asks, so the service gateway keeps them until then (invariant 4: delivered only when
   * the device asks). Calls are paired per connection or request: each {@code commandsWanted} is
   * followed by exactly one {@code commandsUnwanted} for the same leaf, and two connections of one
   * leaf (a takeover) may overlap, so the sink counts them.
   */
  void commandsWanted(String leafId);

  /** The leaf stopped asking (unsubscribed, cancelled its observation, or disconnected). */
  void commandsUnwanted(String leafId);
}
