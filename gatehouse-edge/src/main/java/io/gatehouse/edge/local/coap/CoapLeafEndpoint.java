package io.gatehouse.edge.local.coap;

import io.gatehouse.edge.local.GuardedSink;
import io.gatehouse.edge.local.LeafAdapter;
import io.gatehouse.edge.local.LeafDeliveryException.Reason;
import io.gatehouse.edge.local.LeafDeliveryException;
import io.gatehouse.edge.local.LeafSink;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local CoAP endpoint for constrained leaves: CoAP over DTLS 1.2 with pre-shared keys only (RFC
 * 7925: TLS_PSK_WITH_AES_128_CCM_8 or TLS_PSK_WITH_AES_128_GCM_SHA256), listening only on the
 * configured LAN addresses (port 5684 by default). There is no unsecured CoAP: a leaf proves who it is
 * with its handshake, the PSK identity being its leaf id, and every request is taken as that leaf's,
 * whatever its URI says.
 *
 * <ul>
 *   <li>{@code POST /telemetry}: see {@link TelemetryResource} (2.04 once durable);
 *   <li>{@code GET /commands}, observed or waiting: see {@link CommandsResource};
 *   <li>anything else: 4.04.
 * </ul>
 *
 * Presence (connected/disconnected) follows the DTLS session and the leaf's traffic, see
 * {@link LeafPresence}; refused handshakes are reported as described in {@link DtlsEvents}.
 * Californium is configured in code ({@link CaliforniumSetup}) and writes no properties file.
 *
 * <pre>{@code
 * try (LeafAdapter coap = new CoapLeafEndpoint(CoapConfig.defaults(
 *     List.of(new InetSocketAddress("192.168.1.10", 5684)), LeafPsks.of(keys)), sink)) {
 *   coap.start();
 *   coap.deliver("valve-3", command).join();
 * }
 * }</pre>
 */
public final class CoapLeafEndpoint implements LeafAdapter {
  private static final Logger log = LoggerFactory.getLogger(CoapLeafEndpoint.class);
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
  /** Refused handshakes reported per minute, at most (one per identity, source and reason). */
  private static final int REFUSALS_PER_WINDOW = 20;
  private static final Duration REFUSAL_WINDOW = Duration.ofMinutes(1);
  /** A sink slower than this gets the leaf's request ACKed first, well before the leaf would resend. */
  private static final Duration LONGEST_PIGGYBACK = Duration.ofSeconds(1);

  private final CoapConfig config;
  private final GuardedSink sink;
  private final StateThread state = new StateThread("gatehouse-leaf-coap-state");
  private final ObserveSequence observeNumbers = new ObserveSequence();
  private final LeafPresence presence;
  private final CommandDispatcher commands;
  private final DtlsEvents dtlsEvents;
  private final Object lock = new Object();
  private final List<CoapEndpoint> endpoints = new ArrayList<>();
  private ScheduledExecutorService protocolThreads;
  private ScheduledExecutorService protocolTimers;
  private boolean started;
  private boolean closed;

  public CoapLeafEndpoint(CoapConfig config, LeafSink sink) {
    this.config = Objects.requireNonNull(config, "config");
    this.sink = new GuardedSink(Objects.requireNonNull(sink, "sink"));
    this.presence = new LeafPresence(this.sink, state, config.sessionIdle(), System::nanoTime);
    this.commands = new CommandDispatcher(this.sink, state, new LeafInbox.Settings(config.commandQueue(),
        config.commandWait(), config.maxTransmitWait().plus(config.ackTimeout())), config.maxPayloadBytes(),
        presence::isPresent, observeNumbers);
    this.dtlsEvents = new DtlsEvents(config.psks(), state, presence, commands,
        new RefusalThrottle(REFUSAL_WINDOW, REFUSALS_PER_WINDOW, System::nanoTime), this.sink);
  }

  @Override
  public String name() {
    return "coap";
  }

  @Override
  public void start() {
    synchronized (lock) {
      if (started || closed) {
        throw new IllegalStateException("a CoapLeafEndpoint can be started once only");
      }
      if (config.bindAddresses().isEmpty()) {
        throw new IllegalStateException("the local CoAP endpoint has no bind address: configure the LAN address(es) "
            + "leaves reach it on, e.g. 192.168.1.10:" + CoapConfig.DEFAULT_PORT + " (0.0.0.0 listens on every "
            + "interface, including the uplink's, and must be chosen explicitly)");
      }
      started = true;
      Configuration configuration = CaliforniumSetup.configuration(config);
      protocolThreads = Executors.newScheduledThreadPool(config.ioThreads(),
          Thread.ofPlatform().name("gatehouse-leaf-coap-", 0).daemon(true).factory());
      protocolTimers = Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("gatehouse-leaf-coap-timer").daemon(true).factory());
      LeafDeliverer deliverer = new LeafDeliverer(
          new TelemetryResource(sink, config.maxPayloadBytes(), state, piggybackWindow()),
          new CommandsResource(state, commands, observeNumbers), config.psks(), configuration);
      for (InetSocketAddress address : config.bindAddresses()) {
        if (address.getAddress().isAnyLocalAddress()) {
          log.warn("local CoAP endpoint binds the wildcard address {}: it answers DTLS handshakes on EVERY "
              + "interface, the uplink's included; bind the LAN address instead", address);
        }
        listen(configuration, address, deliverer);
      }
      state.every(() -> presence.sweep(commands::isAsking), sweepPeriod());
      log.info("local CoAP endpoint listening addresses={} leaves={} maxPayloadBytes={} (CoAP over DTLS 1.2 PSK only)",
          boundAddresses(), config.psks().size(), config.maxPayloadBytes());
    }
  }

  @Override
  public List<InetSocketAddress> boundAddresses() {
    synchronized (lock) {
      return endpoints.stream().map(CoapEndpoint::getAddress).toList();
    }
  }

  @Override
  public CompletableFuture<Void> deliver(String leafId, byte[] payload) {
    Objects.requireNonNull(leafId, "leafId");
    Objects.requireNonNull(payload, "payload");
    byte[] copy = payload.clone();
    CompletableFuture<Void> result = new CompletableFuture<>();
    if (!state.post(() -> commands.deliver(leafId, copy, result))) {
      result.completeExceptionally(new LeafDeliveryException(leafId, Reason.ADAPTER_CLOSED,
          "the local CoAP endpoint is closed"));
    }
    return result;
  }

  /**
   * Fails every pending command with ADAPTER_CLOSED, reports present leaves disconnected (and those
   * asking for commands no longer asking), closes the DTLS connectors and stops the threads. Later
   * calls do nothing. Not to be called from a sink callback, which runs on the thread it waits for.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      state.runAndWait(() -> {
        commands.closeAll();
        presence.closeAll();
      }, SHUTDOWN_TIMEOUT);
      if (started) {
        stopEndpoints();
        log.info("local CoAP endpoint stopped");
      }
      state.shutdown(SHUTDOWN_TIMEOUT);
    }
  }

  private void listen(Configuration configuration, InetSocketAddress address, LeafDeliverer deliverer) {
    DTLSConnector connector = new DTLSConnector(
        CaliforniumSetup.connector(configuration, address, new LeafPskStore(config.psks()), dtlsEvents));
    connector.setAlertHandler(dtlsEvents);
    CoapEndpoint endpoint = new CoapEndpoint.Builder().setConfiguration(configuration).setConnector(connector)
        .setLoggingTag("leaf-coaps " + address).build();
    endpoint.setMessageDeliverer(deliverer);
    endpoint.setExecutors(protocolThreads, protocolTimers);
    endpoint.addInterceptor(new ActivityInterceptor(presence, config.psks()));
    try {
      endpoint.start();
    } catch (IOException | RuntimeException e) {
      endpoint.destroy();
      closed = true;
      stopEndpoints();
      state.shutdown(SHUTDOWN_TIMEOUT);
      throw new IllegalStateException("cannot listen for leaves on " + address + ": " + e.getMessage()
          + " (is the address assigned to this host, and the port free?)", e);
    }
    endpoints.add(endpoint);
  }

  private void stopEndpoints() {
    endpoints.forEach(CoapEndpoint::destroy);
    endpoints.clear();
    protocolThreads.shutdownNow();
    protocolTimers.shutdownNow();
    try {
      protocolThreads.awaitTermination(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      protocolTimers.awaitTermination(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Duration piggybackWindow() {
    Duration half = config.ackTimeout().dividedBy(2);
    return half.compareTo(LONGEST_PIGGYBACK) < 0 ? half : LONGEST_PIGGYBACK;
  }

  /** Idle leaves are found within a quarter of {@code sessionIdle}, checking at most every 30 s. */
  private Duration sweepPeriod() {
    Duration quarter = config.sessionIdle().dividedBy(4);
    Duration longest = Duration.ofSeconds(30);
    return quarter.compareTo(longest) > 0 ? longest : quarter;
  }
}
