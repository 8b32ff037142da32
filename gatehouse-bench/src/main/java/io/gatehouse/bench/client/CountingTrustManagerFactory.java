package io.gatehouse.bench.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Trusts one CA (the target's) and counts full TLS handshakes: the client checks the server's
 * certificate chain only in a full handshake. A resumed TLS 1.3 handshake (PSK from a session
 * ticket) carries no Certificate message, so {@code checkServerTrusted} is not called. The count of
 * calls is therefore the count of full handshakes; the connect storm compares it with the count of
 * connections. It also tallies the negotiated protocol and cipher suite.
 *
 * <p>To keep the generator's share of the CPU down, the first server certificate is validated in
 * full (PKIX path to the CA, validity, host name) and then pinned: a later handshake presenting the
 * very same certificate (byte for byte) is accepted without validating the path again. The TLS
 * handshake itself is unchanged: the server still signs the transcript (CertificateVerify) and the
 * client still checks that signature, so the server does exactly the work of a full handshake.
 */
public final class CountingTrustManagerFactory extends TrustManagerFactory {
  private static final Provider PROVIDER = new Provider("gatehouse-bench", "1.0", "counting trust manager") {
    private static final long serialVersionUID = 1L;
  };

  private final X509ExtendedTrustManager delegate;
  private final LongAdder fullHandshakes = new LongAdder();
  private final Map<String, AtomicLong> negotiated = new ConcurrentHashMap<>();
  private volatile byte[] pinned;

  public CountingTrustManagerFactory(Path caPem) throws IOException, GeneralSecurityException {
    this(new Spi(), pkix(caPem));
  }

  private CountingTrustManagerFactory(Spi spi, X509ExtendedTrustManager delegate) {
    super(spi, PROVIDER, "PKIX-counting");
    this.delegate = delegate;
    spi.managers = new TrustManager[] {new Counting()};
  }

  /** Full handshakes seen since creation (or the last {@link #reset()}). */
  public long fullHandshakes() {
    return fullHandshakes.sum();
  }

  /** "TLSv1.3 TLS_AES_256_GCM_SHA384" → count, for the full handshakes seen. */
  public Map<String, Long> negotiated() {
    Map<String, Long> out = new TreeMap<>();
    negotiated.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  public void reset() {
    fullHandshakes.reset();
    negotiated.clear();
  }

  /** Already initialised with the target's CA: init calls are ignored. */
  private static final class Spi extends TrustManagerFactorySpi {
    private TrustManager[] managers;

    @Override
    protected void engineInit(KeyStore keyStore) {}

    @Override
    protected void engineInit(ManagerFactoryParameters parameters) {}

    @Override
    protected TrustManager[] engineGetTrustManagers() {
      return managers.clone();
    }
  }

  private void counted(SSLSession handshake) {
    fullHandshakes.increment();
    String key = "unknown";
    if (handshake != null) {
      // OpenSSL engines know the cipher suite only after the handshake: then the protocol alone.
      String suite = handshake.getCipherSuite();
      key = handshake.getProtocol() + (suite == null || suite.startsWith("SSL_NULL") ? "" : " " + suite);
    }
    negotiated.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  private static X509ExtendedTrustManager pkix(Path caPem) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      int n = 0;
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca" + n++, cert);
      }
      if (n == 0) {
        throw new CertificateException("no certificate in " + caPem);
      }
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509ExtendedTrustManager in the default TrustManagerFactory");
  }

  private final class Counting extends X509ExtendedTrustManager implements X509TrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      byte[] leaf = chain.length > 0 ? chain[0].getEncoded() : null;
      byte[] known = pinned;
      if (known == null || !java.util.Arrays.equals(known, leaf)) {
        delegate.checkServerTrusted(chain, authType, engine);
        pinned = leaf;
      }
      counted(engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType, socket);
      counted(socket instanceof javax.net.ssl.SSLSocket s ? s.getHandshakeSession() : null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      delegate.checkServerTrusted(chain, authType);
      counted(null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }
  }
}
