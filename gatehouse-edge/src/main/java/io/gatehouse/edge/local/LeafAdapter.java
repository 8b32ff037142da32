package io.gatehouse.edge.local;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One kind of local endpoint for leaf devices on the LAN (MQTT now; CoAP and Modbus later). An
 * adapter authenticates leaves with their local credentials, hands what they send to a
 * {@link LeafSink}, and pushes commands to them.
 *
 * <p>Lifecycle: construct, {@link #start()} once, {@link #close()} once (later calls do nothing).
 */
public interface LeafAdapter extends AutoCloseable {
  /** Short name for logs and configuration, e.g. {@code mqtt}. */
  String name();

  /**
   * Binds every configured address and starts accepting leaves.
   *
   * @throws IllegalStateException if no address is configured, an address cannot be bound (the
   *     message names it and says why), or the adapter was started or closed before
   */
  void start();

  /** The addresses actually listened on (with the ports chosen for port 0); empty before start. */
  List<InetSocketAddress> boundAddresses();

  /**
   * Pushes a command to a connected leaf. The future completes when the leaf acknowledged it (MQTT:
   * PUBACK), or fails with a {@link LeafDeliveryException} saying why (not connected, not
   * subscribed, queue full, no acknowledgement in time, connection lost). It completes on an I/O
   * thread: do not block in its callbacks, use the {@code *Async} variants for slow work.
   */
  CompletableFuture<Void> deliver(String leafId, byte[] payload);

  /** Stops accepting, closes every leaf connection (failing undelivered commands) and frees the threads. */
  @Override
  void close();
}
