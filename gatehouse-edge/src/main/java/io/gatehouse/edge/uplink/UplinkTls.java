package io.gatehouse.edge.uplink;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import io.gatehouse.core.x509.TrustAnchors;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.TrustManagerFactory;

/**
 * The uplink's TLS side: trust in the service gateway's CA, and the client certificate (if the
 * credential is one) that the next handshake presents.
 */
final class UplinkTls {
  private final UplinkSettings settings;
  /** Null: the JVM's default trust store. */
  private final TrustManagerFactory trust;
  private final ClientKeyManager keys = new ClientKeyManager();
  /** The certificate the current TLS context has presented; set before each attempt, on one thread at a time. */
  private volatile X509Certificate presented;

  UplinkTls(UplinkSettings settings) {
    this.settings = settings;
    this.trust = settings.caCertificate() == null ? null : trusting(settings.caCertificate());
  }

  /**
   * The transport configuration: the gateway's address and a TLS configuration whose key manager
   * factory is a new object, so the MQTT client builds a new TLS context (with its own, empty
   * session cache) for it. The key manager behind it is always the same and presents a client
   * certificate only when the attempt's credential is one.
   */
  MqttClientTransportConfig transport() {
    var ssl = MqttClientSslConfig.builder().keyManagerFactory(keys.factory());
    if (trust != null) {
      ssl = ssl.trustManagerFactory(trust);
    }
    return MqttClientTransportConfig.builder().serverHost(settings.host()).serverPort(settings.port())
        .sslConfig(ssl.build()).build();
  }

  /**
   * Hands {@code credential} to the key manager for the next handshake. Returns a new transport
   * configuration when the certificate differs from the one the current TLS context presented:
   * the client would otherwise resume the TLS session of an earlier connection, and a resumed
   * handshake sends no certificate, so the service gateway would see the old certificate's
   * identity again, not the renewed one. An unchanged certificate keeps the context, and with it
   * the cheaper resumption.
   */
  Optional<MqttClientTransportConfig> use(UplinkCredential credential) {
    keys.use(credential);
    if (!(credential instanceof UplinkCredential.ClientCertificate certificate)) {
      return Optional.empty();
    }
    X509Certificate previous = presented;
    presented = certificate.certificate();
    return previous == null || previous.equals(certificate.certificate()) ? Optional.empty() : Optional.of(transport());
  }

  private static TrustManagerFactory trusting(Path caCertificate) {
    return TrustAnchors.trustManagers(caCertificate);
  }

}
