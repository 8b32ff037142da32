package io.gatehouse.server.mqtt;

import io.gatehouse.core.audit.AuditChain;
import io.gatehouse.core.audit.AuditEntry;
import io.gatehouse.core.authz.Authorizer;
import io.gatehouse.core.authz.Grant;
import io.gatehouse.core.authz.Permission;
import io.gatehouse.core.crypto.MasterKey;
import io.gatehouse.core.crypto.SymmetricKeyFactory;
import io.gatehouse.core.identity.Authentication;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.core.identity.ServiceIdentity;
import io.gatehouse.core.message.AckMode;
import io.gatehouse.core.message.InboxMessage;
import io.gatehouse.core.message.MessageProperties;
import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.core.sas.SasSigner;
import io.gatehouse.core.sas.SasVerifier;
import io.gatehouse.core.x509.ClientCertificateVerifier;
import io.gatehouse.server.audit.AuditLog;
import io.gatehouse.server.auth.Caller;
import io.gatehouse.server.auth.Guard;
import io.gatehouse.server.device.DeviceAuthenticator;
import io.gatehouse.server.device.LeafDirectory;
import io.gatehouse.server.device.SessionRegistry;
import io.gatehouse.server.device.TelemetryIngest;
import io.gatehouse.server.inbox.InboxService;
import io.gatehouse.server.inbox.InboxSettings;
import io.gatehouse.server.posture.PostureIngest;
import io.gatehouse.server.tls.DevPki;
import io.gatehouse.server.tls.ServerNames;
import io.gatehouse.server.tls.ServerTls;
import io.gatehouse.server.tls.TlsMaterial;
import io.gatehouse.store.sqlite.SqliteStore;
import io.gatehouse.store.sqlite.SqliteTelemetryLog;
import io.netty.handler.ssl.ClientAuth;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.net.ssl.TrustManagerFactory;

/**
 * The real pieces of the device side, assembled as the gateway does: SQLite store and telemetry
 * log in a temporary directory, the authenticator, ingest, session registry and inbox service, a
 * development PKI, and the MQTT server on a random loopback port. Devices and a sending service are
 * registered directly through the store.
 */
final class MqttTestBed implements AutoCloseable {
  static final String HOST = "gatehouse.test";

  private final Path directory;
  private final Clock clock = Clock.systemUTC();
  private final SqliteStore store;
  private final SqliteTelemetryLog telemetryLog;
  private final AuditLog audit;
  private final SessionRegistry sessions;
  private final InboxService inbox;
  private final DevPki pki;
  private final MqttServer server;
  private final SymmetricKeyFactory keys = new SymmetricKeyFactory(new SecureRandom());
  private final Caller sender;

  MqttTestBed(Path directory) {
    this(directory, UnaryOperator.identity());
  }

  MqttTestBed(Path directory, UnaryOperator<MqttServerConfig> configure) {
    this.directory = directory;
    SecureRandom random = new SecureRandom();
    MasterKey master = MasterKey.generate(random);
    store = SqliteStore.open(directory.resolve("gatehouse.db"), master.secretBox(random),
        new AuditChain(master.derive("audit-chain")), clock);
    telemetryLog = SqliteTelemetryLog.open(directory.resolve("telemetry.db"), clock);
    audit = new AuditLog(store.audit(), clock);
    LeafDirectory leaves = LeafDirectory.load(store.devices());
    sessions = new SessionRegistry(leaves);
    DeviceAuthenticator authenticator = new DeviceAuthenticator(store.devices(), store.caCertificates(),
        new SasVerifier(clock), new ClientCertificateVerifier(clock), HOST, audit, clock);
    inbox = new InboxService(store.inbox(), store.devices(), new Guard(new Authorizer(), audit), audit, sessions,
        leaves, InboxSettings.defaults(), clock);
    pki = new DevPki(directory.resolve("tls"), clock);
    TlsMaterial material = pki.loadOrCreate(ServerNames.of(HOST));
    ServerTls tls = new ServerTls(material, new ServerTls.Options(ClientAuth.OPTIONAL, ServerTls.ProviderChoice.AUTO));
    MqttServerConfig config = configure.apply(MqttServerConfig.defaults(new InetSocketAddress("127.0.0.1", 0)));
    server = new MqttServer(config, tls, authenticator, new TelemetryIngest(telemetryLog, leaves),
        new PostureIngest(store.edgePostures(), clock), inbox, sessions, audit, clock).start();
    ServiceIdentity backend = store.services().create(new ServiceIdentity("backend", IdentityStatus.ENABLED,
        keys.newPair(), List.of(Grant.unscoped(Permission.MESSAGES_SEND)), null, null, null));
    sender = new Caller(backend, "127.0.0.1:test");
  }

  MqttServer server() {
    return server;
  }

  int port() {
    return server.port();
  }

  SessionRegistry sessions() {
    return sessions;
  }

  InboxService inbox() {
    return inbox;
  }

  SqliteStore store() {
    return store;
  }

  Path caFile() {
    return pki.caCertificateFile();
  }

  /** Registers an enabled device with symmetric keys; returns its primary key. */
  String registerDevice(String id) {
    Authentication.SymmetricKeys pair = keys.newPair();
    store.devices().create(new Device(id, IdentityKind.DEVICE, IdentityStatus.ENABLED, null, pair, null, Map.of(),
        null, null, null, null));
    return pair.primaryKey();
  }

  void disableDevice(String id) {
    Device device = store.devices().find(id).orElseThrow();
    store.devices().replace(device.withStatus(IdentityStatus.DISABLED, "test"), device.etag());
  }

  /** A device SAS token as the SDKs make it, valid for {@code ttl} (negative: already expired). */
  static String token(String deviceId, String key, Duration ttl) {
    return SasSigner.token(HOST + "/devices/" + deviceId, Base64.getDecoder().decode(key), Instant.now().plus(ttl),
        null);
  }

  static String userName(String deviceId) {
    return HOST + "/" + deviceId + "/?api-version=2021-04-12&DeviceClientType=gatehouse-test";
  }

  InboxMessage sendToInbox(String deviceId, MessageProperties properties, String payload) {
    return inbox.send(sender, deviceId, properties, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), null,
        AckMode.FULL);
  }

  int inboxDepth(String deviceId) {
    return store.inbox().depth(deviceId);
  }

  List<TelemetryMessage> telemetry() {
    return telemetryLog.read(0, 1000);
  }

  /** Audit entries so far (the background ones may still be on their way: poll with Awaitility). */
  List<AuditEntry> auditEntries() {
    return store.audit().read(1, 10_000);
  }

  boolean audited(String action, String reasonPart) {
    return auditEntries().stream().anyMatch(e -> e.event().action().equals(action)
        && e.event().reason().contains(reasonPart));
  }

  TrustManagerFactory trust() {
    try (InputStream in = Files.newInputStream(pki.caCertificateFile())) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      return tmf;
    } catch (Exception e) {
      throw new IllegalStateException("cannot trust the test CA", e);
    }
  }

  @Override
  public void close() {
    server.close();
    telemetryLog.close();
    store.close();
  }
}
