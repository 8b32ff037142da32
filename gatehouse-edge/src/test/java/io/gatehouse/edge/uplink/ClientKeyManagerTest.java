package io.gatehouse.edge.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.edge.testing.TestPki;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The uplink's key manager in real handshakes with the JDK's TLS (the end-to-end tests run the MQTT
 * client on OpenSSL): it presents the certificate it was given, a renewed one in the next
 * handshake, and nothing for a SAS credential.
 */
class ClientKeyManagerTest {
  private final TestPki.Issued server = TestPki.selfSigned("localhost");
  private final TestPki.Issued first = TestPki.selfSigned("edge-1");
  private final TestPki.Issued renewed = TestPki.selfSigned("edge-1");
  private final ClientKeyManager keys = new ClientKeyManager();

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void presentsTheCertificateOfTheCurrentCredentialInEachHandshake(String protocol) throws Exception {
    keys.use(certificate(first));
    assertThat(peerSeenByServer(protocol)).containsExactly(first.certificate());

    keys.use(certificate(renewed));
    assertThat(peerSeenByServer(protocol)).containsExactly(renewed.certificate());

    keys.use(new UplinkCredential.SasToken("u", new byte[] {1}, Instant.now()));
    assertThat(peerSeenByServer(protocol)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"RSA", "DSA"})
  void offersAnEcCertificateOnlyForEcKeyTypes(String otherType) {
    keys.use(certificate(first));

    assertThat(keys.chooseEngineClientAlias(new String[] {otherType}, null, null)).isNull();
    String alias = keys.chooseEngineClientAlias(new String[] {otherType, "EC"}, null, null);
    assertThat(alias).isNotNull();
    assertThat(keys.chooseClientAlias(new String[] {"EC_EC"}, null, null)).isEqualTo(alias);
    assertThat(keys.getPrivateKey(alias)).isEqualTo(first.keys().getPrivate());
    assertThat(keys.getPrivateKey("another")).isNull();
  }

  private UplinkCredential.ClientCertificate certificate(TestPki.Issued issued) {
    return new UplinkCredential.ClientCertificate("u", List.of(issued.certificate()), issued.keys().getPrivate());
  }

  /** One handshake with a fresh client context (no resumption); what the server saw as client chain. */
  private List<Certificate> peerSeenByServer(String protocol) throws Exception {
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(keyManagers(server), trusting(first, renewed), null);
    SSLContext clientContext = SSLContext.getInstance("TLS");
    clientContext.init(new javax.net.ssl.KeyManager[] {keys}, trusting(server), null);
    try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.setWantClientAuth(true);
      listener.setEnabledProtocols(new String[] {protocol});
      CompletableFuture<List<Certificate>> seen = CompletableFuture.supplyAsync(() -> {
        try (SSLSocket accepted = (SSLSocket) listener.accept(); InputStream in = accepted.getInputStream()) {
          in.read(); // completes the handshake (TLS 1.3 sends the client's certificate after the server's Finished)
          try {
            return List.of(accepted.getSession().getPeerCertificates());
          } catch (SSLPeerUnverifiedException e) {
            return List.<Certificate>of();
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      try (SSLSocket client = (SSLSocket) clientContext.getSocketFactory()
          .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
          OutputStream out = client.getOutputStream()) {
        client.setEnabledProtocols(new String[] {protocol});
        out.write(1);
        out.flush();
        return seen.get(10, TimeUnit.SECONDS);
      }
    }
  }

  private static javax.net.ssl.KeyManager[] keyManagers(TestPki.Issued issued) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", issued.keys().getPrivate(), new char[0], new Certificate[] {issued.certificate()});
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, new char[0]);
    return factory.getKeyManagers();
  }

  private static javax.net.ssl.TrustManager[] trusting(TestPki.Issued... trusted) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    for (int i = 0; i < trusted.length; i++) {
      store.setCertificateEntry("trusted-" + i, trusted[i].certificate());
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }
}
