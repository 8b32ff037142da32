package io.gatehouse.bench.target;

import io.gatehouse.bench.client.ClientFactory;
import io.gatehouse.bench.client.DeviceLogin;
import io.gatehouse.bench.client.MqttVersion;
import java.util.List;
import java.util.Map;

/**
 * A server under test, run as its own process on 127.0.0.1. Each scenario starts it fresh (same
 * identities, empty state as far as the server allows) and stops it afterwards, so memory and CPU
 * figures of one scenario are not carried into the next.
 */
public interface Target extends AutoCloseable {
  /** "gatehouse" or "mosquitto". */
  String name();

  /** Version and configuration in one line, for the report header. */
  String describe();

  /**
   * Starts the server and makes sure at least {@code devices} device identities exist (created on
   * the first start of the run, not timed).
   *
   * @throws TargetUnavailableException when the server cannot serve the scenario (not installed,
   *     MQTT listener missing, …); the bench reports it and goes on with the other target
   */
  void start(int devices, StartOptions options) throws Exception;

  /** Stops the server; safe to call when it is not running. */
  void stop();

  /** The server process id (for /proc readings), valid while started. */
  long pid();

  /** A client factory for the running server (its port and CA). */
  ClientFactory clients(ClientFactory.Shared shared, MqttVersion version, int keepAliveSeconds) throws Exception;

  /** The login of device {@code index} (0-based), with a fresh password or token. */
  DeviceLogin device(int index);

  /** Sends to a device's inbox, or the reference substitute; see {@link InboxSender#label()}. */
  InboxSender inboxSender(ClientFactory clients) throws Exception;

  /** Extra memory figures of the server process (bytes), e.g. live heap, direct memory; may be empty. */
  Map<String, Long> memoryDetails();

  /** Notes printed next to the figures (durability, configuration). */
  List<String> notes();

  @Override
  void close();

  /** @param nativeMemoryTracking start a JVM server with NMT so direct memory can be read */
  record StartOptions(boolean nativeMemoryTracking) {
    public static final StartOptions PLAIN = new StartOptions(false);
  }
}
