package io.gatehouse.server.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of TLS: TLS 1.3 and 1.2 only, and for 1.2 only forward-secret AEAD suites.
 * BoringSSL (netty-tcnative) is used when it loads, because it is faster and its handshake code is
 * hardened; otherwise the JDK's implementation, with the same protocol and suite policy.
 */
public final class ServerTls {
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /**
   * TLS 1.3 suites first (all are AEAD; the JDK provider needs them listed or it disables 1.3), then
   * the TLS 1.2 suites: ECDHE only (forward secrecy), AES-GCM or ChaCha20-Poly1305 only (no CBC).
   */
  public static final List<String> CIPHER_SUITES = List.of(
      "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

  /** Which TLS implementation to use. */
  public enum ProviderChoice {
    /** BoringSSL when netty-tcnative loads on this platform, else the JDK. */
    AUTO,
    /** Always the JDK (e.g. to rule out a native-library problem). */
    JDK
  }

  /**
   * @param clientAuth whether a client certificate is asked for in the handshake.
   *     {@link ClientAuth#OPTIONAL} for endpoints that accept X.509 device identities (MQTT, and the
   *     HTTPS port, which also serves the Azure-compatible device API): any well-formed chain passes
   *     the TLS layer and the application checks it against the registry (pinned thumbprints,
   *     registered CAs), which changes at run time and can give a clear "not registered" answer
   *     instead of an opaque handshake failure. Clients without a certificate (services with SAS
   *     tokens, SAS-token devices) connect as before. {@link ClientAuth#REQUIRE} behaves the same
   *     but refuses clients without a certificate; {@link ClientAuth#NONE} never asks.
   */
  public record Options(ClientAuth clientAuth, ProviderChoice provider) {
    public Options {
      Objects.requireNonNull(clientAuth, "clientAuth");
      Objects.requireNonNull(provider, "provider");
    }

    /**
     * The HTTPS port (service API and device API): client certificates asked for but optional, so
     * X.509 devices can use the device API; BoringSSL when available. Only the device API reads the
     * certificate, and it verifies the chain itself (see {@code ApiRequest#clientCertificates}).
     */
    public static Options serviceApi() {
      return new Options(ClientAuth.OPTIONAL, ProviderChoice.AUTO);
    }
  }

  private final SslContext context;
  private final SslProvider provider;
  private final ClientAuth clientAuth;
  private final X509Certificate certificate;

  public ServerTls(TlsMaterial material, Options options) {
    this.provider = options.provider() == ProviderChoice.AUTO && OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    if (options.provider() == ProviderChoice.AUTO && provider == SslProvider.JDK) {
      log.warn("BoringSSL (netty-tcnative) is not available on this platform, using the JDK's TLS: {}",
          String.valueOf(OpenSsl.unavailabilityCause()));
    }
    this.clientAuth = options.clientAuth();
    this.certificate = material.certificate();
    SslContextBuilder builder = SslContextBuilder.forServer(material.privateKey(), material.certificateChain())
        .sslProvider(provider)
        .protocols(PROTOCOLS)
        .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
        .clientAuth(clientAuth);
    if (clientAuth != ClientAuth.NONE) {
      builder.trustManager(new AnyClientChainTrustManager());
    }
    try {
      this.context = builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new TlsConfigurationException("cannot set up TLS with " + material.origin() + ": " + e.getMessage(), e);
    }
    log.info("TLS ready: {}, protocols {}, client certificates {}, certificate {}", providerDescription(), PROTOCOLS,
        clientAuth, certificate.getSubjectX500Principal().getName());
  }

  public SslContext sslContext() {
    return context;
  }

  /** {@link SslProvider#OPENSSL} (BoringSSL via netty-tcnative) or {@link SslProvider#JDK}. */
  public SslProvider provider() {
    return provider;
  }

  public boolean usesOpenSsl() {
    return provider == SslProvider.OPENSSL;
  }

  /** For logs and the start-up banner, e.g. "OpenSSL provider (BoringSSL)". */
  public String providerDescription() {
    return provider == SslProvider.OPENSSL
        ? "OpenSSL provider (" + OpenSsl.versionString() + ")"
        : "JDK provider (Java " + Runtime.version().feature() + ")";
  }

  public ClientAuth clientAuth() {
    return clientAuth;
  }

  public X509Certificate certificate() {
    return certificate;
  }
}
