package io.gatehouse.edge.local.modbus;

import io.gatehouse.edge.local.GuardedSink;
import io.gatehouse.edge.local.LeafAdapter;
import io.gatehouse.edge.local.LeafDeliveryException.Reason;
import io.gatehouse.edge.local.LeafDeliveryException;
import io.gatehouse.edge.local.LeafSink;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls legacy equipment over Modbus TCP: each configured device is one leaf, read on its own
 * schedule, and each poll becomes one JSON reading {@code {"field": value, ...}} handed to the sink
 * as {@code application/json}. Registers that follow each other are read in one request
 * ({@link ReadPlan}); values are decoded and scaled by {@link RegisterCodec}.
 *
 * <p>It is a client: it listens on nothing. A device counts as connected once it answers a whole
 * poll, and as disconnected after {@code disconnect-after-failures} failed polls in a row or when its
 * connection ends; it is then tried again with a backoff of up to 8 intervals ({@link DeviceLink},
 * {@link ReconnectBackoff}). Commands are JSON objects naming writable fields
 * ({@link CommandParser}); a device with writable fields asks for its commands while it answers.
 *
 * <p>All devices share one I/O thread: polling is light, and small edge hardware has few cores.
 *
 * <pre>{@code
 * try (LeafAdapter modbus = new ModbusPoller(ModbusConfig.fromTree(config.get("modbus")), sink)) {
 *   modbus.start();
 *   modbus.deliver("boiler-1", "{\"setpoint\": 21.5}".getBytes(UTF_8)).join();
 * }
 * }</pre>
 */
public final class ModbusPoller implements LeafAdapter {
  private static final Logger log = LoggerFactory.getLogger(ModbusPoller.class);
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 5;
  private static final int IO_THREADS = 1;

  private final ModbusConfig config;
  private final GuardedSink sink;
  private final Object lock = new Object();
  /** Host name lookups block, so each runs on a virtual thread of its own rather than on the I/O thread. */
  private final Executor resolver = lookup -> Thread.ofVirtual().name("gatehouse-modbus-resolve").start(lookup);
  private volatile Map<String, DeviceSession> sessions = Map.of();
  private EventLoopGroup loops;
  private boolean started;
  private volatile boolean closed;

  public ModbusPoller(ModbusConfig config, LeafSink sink) {
    this.config = Objects.requireNonNull(config, "config");
    this.sink = new GuardedSink(Objects.requireNonNull(sink, "sink"));
  }

  @Override
  public String name() {
    return "modbus";
  }

  /**
   * Starts polling every configured device. The config was checked when it was built; connecting
   * happens on the schedule, so an unreachable device does not stop the others.
   *
   * @throws IllegalStateException if started or closed before
   */
  @Override
  public void start() {
    synchronized (lock) {
      if (started || closed) {
        throw new IllegalStateException("a ModbusPoller can be started once only");
      }
      started = true;
      loops = new MultiThreadIoEventLoopGroup(IO_THREADS, new DefaultThreadFactory("gatehouse-modbus"),
          NioIoHandler.newFactory());
      Map<String, DeviceSession> created = new LinkedHashMap<>();
      for (DeviceSpec device : config.devices()) {
        created.put(device.leaf(), new DeviceSession(device, loops.next(), sink, resolver));
      }
      sessions = Map.copyOf(created);
      created.values().forEach(DeviceSession::start);
      log.info("modbus poller started devices={}", config.devices().stream()
          .map(d -> d.leaf() + "@" + d.endpoint() + " every " + DurationFormat.of(d.interval())).toList());
    }
  }

  /** Always empty: the poller connects to devices and listens on nothing. */
  @Override
  public List<InetSocketAddress> boundAddresses() {
    return List.of();
  }

  /**
   * Writes a command, a JSON object naming writable fields such as {@code {"setpoint": 21.5}}; the
   * future completes once the device acknowledged every write. It fails with REFUSED_BY_LEAF for an
   * unknown or read-only field, a value out of range or not JSON (nothing is written then), and for
   * a Modbus exception answer; TOO_LARGE above {@value CommandParser#MAX_COMMAND_BYTES} bytes;
   * NOT_CONNECTED while the device does not answer; QUEUE_FULL with
   * {@value CommandWriter#MAX_PENDING_COMMANDS} commands waiting; NO_ACKNOWLEDGEMENT after the
   * device's timeout.
   */
  @Override
  public CompletableFuture<Void> deliver(String leafId, byte[] payload) {
    Objects.requireNonNull(leafId, "leafId");
    Objects.requireNonNull(payload, "payload");
    if (closed) {
      return CompletableFuture.failedFuture(new LeafDeliveryException(leafId, Reason.ADAPTER_CLOSED,
          "the Modbus poller is closed"));
    }
    DeviceSession session = sessions.get(leafId);
    if (session == null) {
      boolean configured = config.devices().stream().anyMatch(d -> d.leaf().equals(leafId));
      return CompletableFuture.failedFuture(new LeafDeliveryException(leafId, Reason.NOT_CONNECTED, configured
          ? "the Modbus poller has not started yet" : "no Modbus device is configured as this leaf"));
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    session.deliver(payload.clone(), result);
    return result;
  }

  /** Counters of every device, in config order. */
  public List<ModbusDeviceStats> stats() {
    Map<String, DeviceSession> current = sessions;
    return config.devices().stream().map(d -> current.get(d.leaf())).filter(Objects::nonNull)
        .map(DeviceSession::stats).toList();
  }

  public Optional<ModbusDeviceStats> stats(String leafId) {
    return Optional.ofNullable(sessions.get(leafId)).map(DeviceSession::stats);
  }

  /**
   * Stops polling, fails commands not yet acknowledged (ADAPTER_CLOSED), reports answering devices
   * disconnected, closes the connections and stops the thread. Later calls do nothing.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (!started) {
        return;
      }
      CompletableFuture.allOf(sessions.values().stream().map(DeviceSession::close).toArray(CompletableFuture[]::new))
          .completeOnTimeout(null, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .join();
      loops.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      loops.terminationFuture().awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      log.info("modbus poller stopped");
    }
  }
}
