package io.gatehouse.server.transport;

import io.gatehouse.server.tls.DevPki;
import io.gatehouse.server.tls.ServerNames;
import io.gatehouse.server.tls.ServerTls;
import io.gatehouse.server.tls.TlsMaterial;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A development PKI in a temporary directory, and client-side trust in its CA. */
record TestPki(TlsMaterial material, X509Certificate ca, SSLContext clientContext) {
  static TestPki create(Path directory) throws Exception {
    DevPki pki = new DevPki(directory, Clock.systemUTC());
    TlsMaterial material = pki.loadOrCreate(ServerNames.of("gatehouse.test"));
    X509Certificate ca;
    try (InputStream in = Files.newInputStream(pki.caCertificateFile())) {
      ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("gatehouse-dev-ca", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return new TestPki(material, ca, context);
  }

  ServerTls serverTls() {
    return new ServerTls(material, ServerTls.Options.serviceApi());
  }
}
