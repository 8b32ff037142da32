package io.gatehouse.server.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts any structurally well-formed client certificate chain at the TLS layer. Which client
 * certificates prove an identity depends on the registry (pinned thumbprints, registered CAs), which
 * changes at run time and is checked by the application after the handshake; refusing here would
 * only turn a clear "your certificate is not registered" answer into an opaque handshake failure.
 */
final class AnyClientChainTrustManager extends X509ExtendedTrustManager {
  private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    requireWellFormed(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    requireWellFormed(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    requireWellFormed(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("this trust manager is for TLS servers only");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("this trust manager is for TLS servers only");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("this trust manager is for TLS servers only");
  }

  /** No CA names in the CertificateRequest: a client should offer whatever certificate it has. */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return NO_ISSUERS;
  }

  private static void requireWellFormed(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("empty client certificate chain");
    }
    for (int i = 0; i < chain.length; i++) {
      if (chain[i] == null) {
        throw new CertificateException("client certificate chain has a gap at position " + i);
      }
      if (i > 0 && !chain[i - 1].getIssuerX500Principal().equals(chain[i].getSubjectX500Principal())) {
        throw new CertificateException("client certificate chain is out of order at position " + i);
      }
    }
  }
}
