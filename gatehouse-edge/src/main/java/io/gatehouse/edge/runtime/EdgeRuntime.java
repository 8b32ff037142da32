package io.gatehouse.edge.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.edge.alarm.AlarmEngine;
import io.gatehouse.edge.alarm.AlarmEvent;
import io.gatehouse.edge.buffer.BufferLimits;
import io.gatehouse.edge.buffer.ForwardBuffer;
import io.gatehouse.edge.forward.Forwarder;
import io.gatehouse.edge.local.LeafAdapter;
import io.gatehouse.edge.local.LeafCredentials;
import io.gatehouse.edge.local.coap.CoapLeafEndpoint;
import io.gatehouse.edge.local.modbus.ModbusPoller;
import io.gatehouse.edge.local.mqtt.LocalMqttEndpoint;
import io.gatehouse.edge.pipeline.Pipeline;
import io.gatehouse.edge.pipeline.PseudonymKey;
import io.gatehouse.edge.pipeline.Upstream;
import io.gatehouse.edge.uplink.CredentialSource;
import io.gatehouse.edge.uplink.SasKeyFileCredential;
import io.gatehouse.edge.uplink.TpmCredential;
import io.gatehouse.edge.uplink.Uplink;
import io.gatehouse.edge.uplink.UplinkSettings;
import io.gatehouse.edge.uplink.X509KeyFileCredential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running field gateway, as {@code gatehouse edge --config edge.yaml} starts it:
 *
 * <pre>
 * leaves ─► adapters (mqtt, coap, modbus) ─► LeafIntake ─► ProcessingLoop: alarm rules ─► local actuator
 *                                                                      └─► pipeline ─► telemetry buffer ─┐
 *                                          alarm events, refused-leaf reports ─► priority buffer ────────┤
 *                                                                      two Forwarders ─► Uplink (MQTT 5/TLS)
 * service gateway ─► Uplink (a leaf's inbox, while the leaf asks) ─► CommandRouter ─► adapter ─► leaf
 * </pre>
 *
 * The edge listens on nothing but its adapters' configured LAN addresses; the uplink is outbound.
 */
public final class EdgeRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EdgeRuntime.class);
  private static final int PRIORITY_WINDOW = 8;
  private static final long PRIORITY_MAX_BYTES = 16L << 20;
  private static final int PROCESSING_QUEUE = 10_000;

  private final EdgeConfig config;
  private final Clock clock;
  private final Instant startedAt;
  private final ForwardBuffer telemetry;
  private final ForwardBuffer priority;
  private final CredentialSource credential;
  private final Uplink uplink;
  private final CommandRouter router;
  private final RefusalReports refusals;
  private final UpstreamWriter writer;
  private final ProcessingLoop processing;
  private final Set<String> connected = LeafIntake.connectedSet();
  private final List<LeafAdapter> adapters = new ArrayList<>();
  private final Forwarder telemetryForwarder;
  private final Forwarder priorityForwarder;
  private final Reporter reporter;
  private final ObjectMapper json = new ObjectMapper();

  private EdgeRuntime(EdgeConfig config, Clock clock, ForwardBuffer telemetry, ForwardBuffer priority,
      CredentialSource credential) {
    this.config = config;
    this.clock = clock;
    this.startedAt = clock.instant();
    this.telemetry = telemetry;
    this.priority = priority;
    this.credential = credential;
    EdgeConfig.UplinkConfig up = config.uplink();
    // The uplink hands inbox messages to the router, and the router asks the uplink to pull: the
    // reference closes that loop once both exist (no message can arrive before start()).
    AtomicReference<CommandRouter> routerRef = new AtomicReference<>();
    this.uplink = new Uplink(new UplinkSettings(config.edgeId(), up.host(), up.port(), up.caCertificate(), up.keepAlive(),
        UplinkSettings.DEFAULT_INITIAL_BACKOFF, up.maxBackoff(), up.window()), credential, clock,
        (leaf, payload, properties) -> routerRef.get().received(leaf, payload, properties));
    this.router = new CommandRouter(uplink::wantInbox, uplink::dropInbox);
    routerRef.set(router);
    this.refusals = new RefusalReports(clock);
    this.writer = new UpstreamWriter(config.edgeId(), telemetry, priority, clock);
    this.processing = new ProcessingLoop(pipeline(config, clock), new AlarmEngine(config.alarms()), clock,
        new ProcessingLoop.Results() {
          @Override
          public CompletableFuture<Void> upstream(List<Upstream> items) {
            return writer.readings(items);
          }

          @Override
          public void alarm(AlarmEvent event) {
            actuate(event);
            writer.alarm(event);
          }
        }, PROCESSING_QUEUE);
    this.telemetryForwarder = new Forwarder(telemetry, uplink, up.window());
    this.priorityForwarder = new Forwarder(priority, uplink, PRIORITY_WINDOW);
    this.reporter = new Reporter(uplink, this::postureJson, refusals, writer, config.postureInterval(),
        config.refusalReportPeriod(), clock);
    config.mqtt().ifPresent(mqtt -> adapters.add(new LocalMqttEndpoint(mqtt, LeafCredentials.of(config.leafSecrets()),
        intake("mqtt"))));
    config.coap().ifPresent(coap -> adapters.add(new CoapLeafEndpoint(coap, intake("coap"))));
    config.modbus().ifPresent(modbus -> adapters.add(new ModbusPoller(modbus, intake("modbus"))));
    adapters.forEach(router::register);
  }

  /**
   * Opens the buffers, starts processing and forwarding, connects upstream (in the background,
   * retrying) and binds the local endpoints.
   *
   * @throws IllegalStateException if an endpoint cannot bind its address (everything started is closed again)
   */
  public static EdgeRuntime start(EdgeConfig config, Clock clock) {
    CredentialSource credential = credentialSource(config, clock);
    createDirectories(config);
    ForwardBuffer telemetry = ForwardBuffer.open(config.dataDirectory().resolve("telemetry"), config.buffer(), clock);
    ForwardBuffer priority = null;
    EdgeRuntime edge;
    try {
      BufferLimits priorityLimits = new BufferLimits(Math.min(PRIORITY_MAX_BYTES, config.buffer().maxBytes()),
          config.buffer().maxAge(), Math.min(config.buffer().segmentBytes(), 1L << 20));
      priority = ForwardBuffer.open(config.dataDirectory().resolve("priority"), priorityLimits, clock);
      edge = new EdgeRuntime(config, clock, telemetry, priority, credential);
    } catch (RuntimeException e) {
      closeQuietly(telemetry); // the buffers hold a directory lock: a retry in this process must find it free
      if (priority != null) {
        closeQuietly(priority);
      }
      throw e;
    }
    try {
      edge.processing.start();
      edge.telemetryForwarder.start();
      edge.priorityForwarder.start();
      edge.uplink.start();
      for (LeafAdapter adapter : edge.adapters) {
        adapter.start();
        LOG.info("edge endpoint {} listening on {}", adapter.name(), adapter.boundAddresses());
      }
      edge.reporter.start();
    } catch (RuntimeException e) {
      edge.close();
      throw e;
    }
    LOG.info("edge {} started: {} adapter(s), uplink to {}:{} ({})", config.edgeId(), edge.adapters.size(),
        config.uplink().host(), config.uplink().port(), edge.credential.kind());
    return edge;
  }

  public String edgeId() {
    return config.edgeId();
  }

  /** Each enabled adapter's name and the addresses it listens on (empty for a poller such as Modbus). */
  public Map<String, List<InetSocketAddress>> listeners() {
    Map<String, List<InetSocketAddress>> listeners = new LinkedHashMap<>();
    adapters.forEach(adapter -> listeners.put(adapter.name(), adapter.boundAddresses()));
    return listeners;
  }

  public boolean isUplinkConnected() {
    return uplink.isConnected();
  }

  /** The uplink's state: connected or not, connections made, failures and the last one's reason. */
  public UplinkStatus uplinkStatus() {
    return new UplinkStatus(uplink.isConnected(), uplink.connects(), uplink.failures(), uplink.lastFailure());
  }

  /**
   * @param failures connection attempts refused or unanswered, connections lost, credentials that could not be made
   * @param lastFailure the reason of the last failure, as logged
   */
  public record UplinkStatus(boolean connected, long connects, long failures, Optional<String> lastFailure) {}

  /** The telemetry buffer's state (depth, drops) for tests and operators. */
  public io.gatehouse.edge.buffer.BufferStats bufferStats() {
    return telemetry.stats();
  }

  public Forwarder.Counters forwarded() {
    return telemetryForwarder.counters();
  }

  byte[] postureJson() {
    Forwarder.Counters counters = telemetryForwarder.counters();
    return new PostureReport(version(), startedAt, clock.instant(), credential.kind(), listeners(),
        config.leafSecrets().size(), connected.size(), router.askingCount(), telemetry.stats(), priority.stats(),
        uplink.connects(), uplink.failures(), refusals.total(), counters.forwarded(), counters.refused()).toJson(json);
  }

  /**
   * The edge's credential source, its files checked now (readable, key file 0600, key and
   * certificate of one pair, certificate valid) or its TPM (reachable, holding an identity key), so
   * a mistake stops the start with its reason.
   */
  private static CredentialSource credentialSource(EdgeConfig config, Clock clock) {
    EdgeConfig.UplinkConfig up = config.uplink();
    return switch (up.credential()) {
      case EdgeConfig.Credential.SasKeyFile sas ->
          SasKeyFileCredential.fromFile(up.hostName(), config.edgeId(), sas.keyFile(), sas.tokenLifetime());
      case EdgeConfig.Credential.Tpm tpm ->
          TpmCredential.open(up.hostName(), config.edgeId(), tpm.address(), tpm.tokenLifetime());
      case EdgeConfig.Credential.CertificateFiles x509 -> X509KeyFileCredential.fromFiles(up.hostName(),
          config.edgeId(), x509.certificate(), x509.privateKey(), clock.instant());
    };
  }

  private LeafIntake intake(String adapter) {
    return new LeafIntake(adapter, processing, router, refusals, connected, clock);
  }

  /** A raised alarm's command goes to the actuator leaf now, over the LAN, whether or not the uplink is up. */
  private void actuate(AlarmEvent event) {
    if (event instanceof AlarmEvent.Raised raised) {
      raised.command().ifPresent(command -> router.deliver(command.device(), command.payloadBytes())
          .whenComplete((done, failure) -> {
            if (failure == null) {
              LOG.info("alarm {} actuated device={}", raised.rule().name(), command.device());
            } else {
              LOG.error("alarm {} could not actuate device={}: {}", raised.rule().name(), command.device(),
                  failure.getMessage());
            }
          }));
    }
  }

  private static Pipeline pipeline(EdgeConfig config, Clock clock) {
    if (config.pseudonymKeyFile().isEmpty()) {
      return Pipeline.from(config.pipeline(), clock);
    }
    try {
      return Pipeline.from(config.pipeline(), clock, PseudonymKey.of(Files.readAllBytes(config.pseudonymKeyFile().get())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the pseudonym key " + config.pseudonymKeyFile().get(), e);
    }
  }

  private static void createDirectories(EdgeConfig config) {
    try {
      Files.createDirectories(config.dataDirectory());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + config.dataDirectory(), e);
    }
  }

  static String version() {
    String version = EdgeRuntime.class.getPackage().getImplementationVersion();
    return version == null ? "0.1.0-SNAPSHOT" : version;
  }

  /**
   * Stops taking from leaves, pushes what the pipeline holds into the buffer, stops forwarding and
   * disconnects. What is buffered and unacknowledged stays on disk for the next start.
   */
  @Override
  public void close() {
    adapters.forEach(EdgeRuntime::closeQuietly);
    closeQuietly(reporter);
    closeQuietly(processing);
    closeQuietly(telemetryForwarder);
    closeQuietly(priorityForwarder);
    closeQuietly(uplink);
    closeQuietly(telemetry);
    closeQuietly(priority);
  }

  private static void closeQuietly(AutoCloseable part) {
    try {
      part.close();
    } catch (Exception e) {
      LOG.warn("edge shutdown: closing {} failed: {}", part.getClass().getSimpleName(), e.toString());
    }
  }
}
