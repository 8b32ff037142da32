package io.gatehouse.edge.uplink;

import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The uplink's TLS client key manager: presents whatever client certificate the uplink was last
 * told to use. The MQTT client keeps its TLS context across reconnects, but the TLS stack (the JDK's,
 * or OpenSSL's through Netty) asks the key manager for the alias, chain and key in every full
 * handshake, so the client is built once and never holds a copy of the key. (A resumed session
 * sends no certificate at all; {@link UplinkTls} starts a new context when the certificate changes.)
 * With no certificate set (a SAS credential) it offers none, and the handshake proceeds without
 * client authentication.
 */
final class ClientKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "uplink";

  /** Set before a connection attempt, read during its handshake; never changes mid-handshake. */
  private volatile UplinkCredential.ClientCertificate current;

  /** The certificate for the next handshakes, or none for a credential that is not a certificate. */
  void use(UplinkCredential credential) {
    current = credential instanceof UplinkCredential.ClientCertificate certificate ? certificate : null;
  }

  /** A factory handing out this key manager, which is what the MQTT client's TLS configuration takes. */
  KeyManagerFactory factory() {
    KeyManager[] managers = {this};
    return new KeyManagerFactory(new KeyManagerFactorySpi() {
      @Override
      protected void engineInit(KeyStore keyStore, char[] password) {
        // nothing to load: the uplink sets the material itself
      }

      @Override
      protected void engineInit(ManagerFactoryParameters parameters) {
        // as above
      }

      @Override
      protected KeyManager[] engineGetKeyManagers() {
        return managers.clone();
      }
    }, null, "gatehouse-uplink") {};
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return choose(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return choose(keyTypes);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    String alias = choose(new String[] {keyType});
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    UplinkCredential.ClientCertificate credential = current;
    return ALIAS.equals(alias) && credential != null ? credential.chain().toArray(X509Certificate[]::new) : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    UplinkCredential.ClientCertificate credential = current;
    return ALIAS.equals(alias) && credential != null ? credential.privateKey() : null;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }

  /**
   * Offers the certificate only for a key type its key can sign with: the JDK asks per type ("EC",
   * "RSA", …) and takes the first alias it gets; OpenSSL's types may carry a suffix ("EC_EC").
   * The server's issuer list is ignored: the service gateway names none and decides after the handshake.
   */
  private String choose(String[] keyTypes) {
    UplinkCredential.ClientCertificate credential = current;
    if (credential == null || keyTypes == null) {
      return null;
    }
    String algorithm = credential.certificate().getPublicKey().getAlgorithm();
    for (String type : keyTypes) {
      if (type != null && (type.equals(algorithm) || type.startsWith(algorithm + "_"))) {
        return ALIAS;
      }
    }
    return null;
  }
}
