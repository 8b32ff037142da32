package io.gatehouse.server.bootstrap;

import io.gatehouse.core.audit.AuditChain;
import io.gatehouse.core.authz.Authorizer;
import io.gatehouse.core.crypto.MasterKey;
import io.gatehouse.core.crypto.SymmetricKeyFactory;
import io.gatehouse.core.sas.SasVerifier;
import io.gatehouse.server.api.ApiSupport;
import io.gatehouse.server.api.AuditRoutes;
import io.gatehouse.server.api.CertificateRoutes;
import io.gatehouse.server.api.DeviceRoutes;
import io.gatehouse.server.api.DpsRoutes;
import io.gatehouse.server.api.EnrollmentRoutes;
import io.gatehouse.core.provisioning.IdScope;
import io.gatehouse.server.provisioning.DpsAnswers;
import io.gatehouse.server.provisioning.EnrollmentService;
import io.gatehouse.server.provisioning.ProvisioningService;
import io.gatehouse.server.provisioning.tpm.AuthenticationKeyBlobBuilder;
import io.gatehouse.server.api.EdgeRoutes;
import io.gatehouse.server.api.HealthRoutes;
import io.gatehouse.server.api.ServiceRoutes;
import io.gatehouse.server.audit.AuditLog;
import io.gatehouse.server.audit.AuditService;
import io.gatehouse.server.auth.Guard;
import io.gatehouse.server.auth.ServiceAuthenticator;
import io.gatehouse.core.x509.ClientCertificateVerifier;
import io.gatehouse.server.device.DeviceAuthenticator;
import io.gatehouse.server.device.LeafDirectory;
import io.gatehouse.server.device.SessionRegistry;
import io.gatehouse.server.device.TelemetryIngest;
import io.gatehouse.server.inbox.InboxService;
import io.gatehouse.server.inbox.InboxSettings;
import io.gatehouse.server.mqtt.MqttServer;
import io.gatehouse.server.mqtt.MqttServerConfig;
import io.gatehouse.server.posture.PostureIngest;
import io.gatehouse.server.posture.PostureReader;
import io.gatehouse.server.http.JsonCodec;
import io.gatehouse.server.http.RejectedRequestListener;
import io.gatehouse.server.http.Router;
import io.gatehouse.server.registry.CaRegistry;
import io.gatehouse.server.registry.DeviceRegistry;
import io.gatehouse.server.registry.ServiceRegistry;
import io.gatehouse.server.tls.DevPki;
import io.gatehouse.server.tls.ServerNames;
import io.gatehouse.server.tls.ServerTls;
import io.gatehouse.server.tls.TlsMaterial;
import io.gatehouse.server.transport.HttpsServer;
import io.gatehouse.server.transport.HttpsServerConfig;
import io.gatehouse.store.sqlite.SqliteStore;
import io.gatehouse.store.sqlite.SqliteTelemetryLog;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service gateway, assembled: the one place that builds every collaborator and hands each the
 * few things it needs. Start returns once the HTTPS port is bound; close stops accepting, lets
 * requests in flight finish, then closes the store.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final SqliteStore store;
  private final SqliteTelemetryLog telemetry;
  private final Housekeeping housekeeping;
  private final SessionRegistry sessions;
  private final HttpsServer https;
  private final MqttServer mqtt;
  private final AuditLog audit;
  private final StartupReport report;
  private final java.util.List<String> routes;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Gateway(Stores stores, Housekeeping housekeeping, SessionRegistry sessions, HttpsServer https,
      MqttServer mqtt, AuditLog audit, StartupReport report, java.util.List<String> routes) {
    this.mqtt = mqtt;
    this.routes = routes;
    this.store = stores.registry();
    this.telemetry = stores.telemetry();
    this.housekeeping = housekeeping;
    this.sessions = sessions;
    this.https = https;
    this.audit = audit;
    this.report = report;
  }

  public static Gateway start(GatewayConfig config, Clock clock) {
    DataDirectory data = new DataDirectory(config.dataDirectory());
    data.create();
    SecureRandom random = new SecureRandom();
    MasterKey master = data.loadOrCreateMasterKey(random);
    SqliteStore store = SqliteStore.open(data.database(), master.secretBox(random),
        new AuditChain(master.derive("audit-chain")), clock);
    Stores stores;
    try {
      stores = new Stores(store, SqliteTelemetryLog.open(data.telemetryDatabase(), clock));
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    try {
      return assemble(config, clock, data, random, master, stores);
    } catch (RuntimeException e) {
      stores.close();
      throw e;
    }
  }

  /** The two databases: registry, inboxes and audit in one; the telemetry log in its own. */
  private record Stores(SqliteStore registry, SqliteTelemetryLog telemetry) implements AutoCloseable {
    @Override
    public void close() {
      try {
        telemetry.close();
      } finally {
        registry.close();
      }
    }
  }

  private static Gateway assemble(GatewayConfig config, Clock clock, DataDirectory data, SecureRandom random,
      MasterKey master, Stores stores) {
    SqliteStore store = stores.registry();
    String host = config.hostName();
    AuditLog audit = new AuditLog(store.audit(), clock);
    SymmetricKeyFactory keys = new SymmetricKeyFactory(random);
    boolean firstStart = new OperatorBootstrap(store.services(), keys, audit, data).ensureOperator(host);

    TlsMaterial material = config.tlsCertificate() != null
        ? TlsMaterial.fromPemFiles(config.tlsCertificate(), config.tlsKey())
        : new DevPki(data.root(), clock).loadOrCreate(ServerNames.of(host));
    ServerTls tls = new ServerTls(material, ServerTls.Options.serviceApi());

    LeafDirectory leaves = LeafDirectory.load(store.devices());
    SessionRegistry sessions = new SessionRegistry(leaves);
    JsonCodec json = new JsonCodec();
    Guard guard = new Guard(new Authorizer(), audit);
    ApiSupport api = new ApiSupport(
        new ServiceAuthenticator(store.services(), new SasVerifier(clock), host, audit), json);
    InboxService inbox = new InboxService(store.inbox(), store.devices(), guard, audit, sessions, leaves,
        InboxSettings.defaults(), clock);
    TelemetryIngest ingest = new TelemetryIngest(stores.telemetry(), leaves);
    DeviceAuthenticator deviceAuth = new DeviceAuthenticator(store.devices(), store.caCertificates(),
        new SasVerifier(clock), new ClientCertificateVerifier(clock), host, audit, clock);
    Router router = new Router();
    new HealthRoutes(store, json).register(router);
    DeviceRegistry devices = new DeviceRegistry(store.devices(), guard, audit, keys, host, clock, sessions::revoke,
        leaves);
    new DeviceRoutes(devices, api).register(router);
    new EdgeRoutes(new PostureReader(store.devices(), store.edgePostures(), guard), api, json).register(router);
    new ServiceRoutes(new ServiceRegistry(store.services(), guard, audit, keys, host), api).register(router);
    new CertificateRoutes(new CaRegistry(store.caCertificates(), guard, audit, clock), api).register(router);
    new AuditRoutes(new AuditService(store.audit(), new AuditChain(master.derive("audit-chain"))), guard, api)
        .register(router);
    new io.gatehouse.server.api.DeviceMessagingRoutes(deviceAuth, ingest, inbox, json, audit).register(router);
    new io.gatehouse.server.api.MessageRoutes(inbox, api).register(router);
    new io.gatehouse.server.api.TelemetryRoutes(new io.gatehouse.server.telemetry.TelemetryReader(stores.telemetry(),
        store.devices(), guard, new Authorizer()), api, json, clock).register(router);

    IdScope idScope = store.registrations().idScope(IdScope.generate(random));
    java.util.concurrent.atomic.AtomicInteger boundHttpsPort = new java.util.concurrent.atomic.AtomicInteger();
    new EnrollmentRoutes(new EnrollmentService(store.enrollments(), store.registrations(), store.caCertificates(),
        devices, guard, audit, keys, tpmRoots(config), clock), api, guard, idScope.value(), host, boundHttpsPort::get)
        .register(router);
    // Until the TPM blob builder (provisioning.tpm) is wired in here, TPM registrations are refused with 501.
    ProvisioningService provisioning = ProvisioningService.create(idScope, store.enrollments(), store.registrations(),
        store.caCertificates(), devices, new AuthenticationKeyBlobBuilder(random), audit, json.mapper(), clock, random);
    // Last: its patterns start with a parameter ({idScope}), so every literal route is matched first.
    DpsAnswers dpsAnswers = new DpsAnswers(host, clock);
    new DpsRoutes(provisioning, json, dpsAnswers).register(router);

    RejectedRequestListener rejected = (remote, status, reason) ->
        audit.failureInBackground("anonymous", "http.rejected", "HTTP " + status, reason, String.valueOf(remote));
    MqttServer mqtt = new MqttServer(
        MqttServerConfig.defaults(new InetSocketAddress(config.bindAddress(), config.mqttPort())),
        tls, deviceAuth, ingest, new PostureIngest(store.edgePostures(), clock), inbox, sessions, audit, clock)
        .provisioning(new MqttServer.Provisioning(provisioning, dpsAnswers, json)).start();
    HttpsServer https;
    try {
      https = new HttpsServer(
          HttpsServerConfig.defaults(new InetSocketAddress(config.bindAddress(), config.httpsPort()))
              .withMaxBodyBytes(config.maxRequestBodyBytes()),
          tls, router, json, rejected).start();
    } catch (RuntimeException e) {
      mqtt.close();
      throw e;
    }

    boundHttpsPort.set(https.port());
    String url = new ClientDiscovery(data).write(host, config.bindAddress(), https.port());
    audit.success("system", "gateway.start", "gateway:" + host, "");
    StartupReport report = new StartupReport(url, host, https.port(), mqtt.port(), data, tls, material.origin(),
        firstStart, config.tlsCertificate() == null, idScope.value());
    Housekeeping housekeeping = new Housekeeping(store.inbox(), stores.telemetry(),
        Housekeeping.RetentionPolicy.defaults(), clock);
    return new Gateway(stores, housekeeping, sessions, https, mqtt, audit, report, router.routes());
  }

  /** The TPM manufacturers' roots of {@code --tpm-roots}, read once at start; a bad file stops the start. */
  private static java.util.List<java.security.cert.X509Certificate> tpmRoots(GatewayConfig config) {
    if (config.tpmRoots() == null) {
      return java.util.List.of();
    }
    try {
      return io.gatehouse.core.x509.Certificates.parsePem(java.nio.file.Files.readString(config.tpmRoots()));
    } catch (java.io.IOException e) {
      throw new io.gatehouse.core.error.InvalidInputException("cannot read the TPM roots " + config.tpmRoots() + ": "
          + e.getMessage());
    } catch (io.gatehouse.core.error.InvalidInputException e) {
      throw new io.gatehouse.core.error.InvalidInputException("the TPM roots " + config.tpmRoots() + ": "
          + e.getMessage());
    }
  }

  public int httpsPort() {
    return https.port();
  }

  public int mqttPort() {
    return mqtt.port();
  }

  /** Every route served, as {@code METHOD /pattern}; the OpenAPI document must describe exactly these. */
  public java.util.List<String> routes() {
    return routes;
  }

  public StartupReport report() {
    return report;
  }

  /**
   * The durable device-to-cloud log, for tests and operators' tools (read it; appending bypasses
   * device authentication).
   */
  public io.gatehouse.store.TelemetryLog telemetry() {
    return telemetry;
  }

  /** Stops accepting, waits for requests in flight, then closes the store. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      // MQTT first: publishes already received become durable and get their PUBACK before the stores close.
      mqtt.close();
      https.close();
      sessions.terminateAll();
      housekeeping.close();
      audit.success("system", "gateway.stop", "gateway:" + report.hostName(), "");
    } catch (RuntimeException e) {
      LOG.warn("error while stopping the listeners", e);
    } finally {
      try {
        telemetry.close();
      } finally {
        store.close();
      }
    }
  }
}
