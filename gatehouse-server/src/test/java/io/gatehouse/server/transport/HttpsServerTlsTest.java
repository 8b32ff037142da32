package io.gatehouse.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.server.tls.DevPki;
import io.gatehouse.server.tls.ServerNames;
import io.gatehouse.server.tls.ServerTls;
import io.gatehouse.server.tls.TlsMaterial;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Protocol and cipher policy, as seen by real clients, and which TLS implementation serves it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsServerTlsTest {
  private Path pkiDirectory;
  private TestPki pki;
  private TestServer server;
  private EventLoopGroup clientLoop;

  @BeforeAll
  void start(@TempDir Path pkiDirectory) throws Exception {
    this.pkiDirectory = pkiDirectory;
    pki = TestPki.create(pkiDirectory.resolve("server"));
    server = new TestServer(pki);
    clientLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  @AfterAll
  void stop() {
    server.close();
    clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void boringSslServesWhenAvailable() {
    assertThat(OpenSsl.isAvailable()).as("netty-tcnative: %s", OpenSsl.unavailabilityCause()).isTrue();
    assertThat(server.server.tls().provider()).isEqualTo(SslProvider.OPENSSL);
    assertThat(server.server.tls().providerDescription()).contains("BoringSSL");
  }

  @Test
  void tls13IsNegotiatedByDefault() throws Exception {
    try (RawTls raw = server.raw()) {
      assertThat(raw.protocol()).isEqualTo("TLSv1.3");
    }
  }

  @Test
  void tls12ClientsGetAnEcdheAeadSuite() throws Exception {
    try (SSLSocket socket = (SSLSocket) pki.clientContext().getSocketFactory().createSocket("127.0.0.1", server.port())) {
      socket.setEnabledProtocols(new String[] {"TLSv1.2"});
      socket.startHandshake();

      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
      assertThat(socket.getSession().getCipherSuite()).startsWith("TLS_ECDHE_").containsAnyOf("_GCM_", "CHACHA20");
    }
  }

  @Test
  void tls11IsRefused() throws Exception {
    assertThat(handshake(List.of("TLSv1.1"), null).cause()).as("TLS 1.1 handshake")
        .hasMessageContaining("PROTOCOL_VERSION");
    assertThat(handshake(List.of("TLSv1.2"), null).cause()).as("TLS 1.2 handshake, same client").isNull();
  }

  @Test
  void cbcSuitesAreRefusedOnTls12() throws Exception {
    Future<Channel> cbc = handshake(List.of("TLSv1.2"), List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"));
    Future<Channel> gcm = handshake(List.of("TLSv1.2"), List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));

    assertThat(cbc.cause()).as("CBC handshake").hasMessageContaining("HANDSHAKE_FAILURE");
    assertThat(gcm.cause()).as("GCM handshake").isNull();
  }

  @Test
  void theJdkProviderServesWithTheSamePolicy() throws Exception {
    ServerTls jdk = new ServerTls(pki.material(), new ServerTls.Options(ClientAuth.NONE, ServerTls.ProviderChoice.JDK));
    try (TestServer jdkServer = new TestServer(pki, jdk, c -> c)) {
      HttpResponse<String> response = jdkServer.get("/hello/jdk");

      assertThat(jdk.provider()).isEqualTo(SslProvider.JDK);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isEqualTo("TLSv1.3"));
    }
  }

  @Test
  void optionalClientAuthAcceptsAnyClientCertificateAndNone() throws Exception {
    ServerTls optional = new ServerTls(pki.material(), new ServerTls.Options(ClientAuth.OPTIONAL, ServerTls.ProviderChoice.AUTO));
    // A certificate from an unrelated CA: the TLS layer lets it through, the registry decides later.
    TlsMaterial stranger = new DevPki(pkiDirectory.resolve("stranger"), Clock.systemUTC())
        .loadOrCreate(ServerNames.of("device-1"));
    try (TestServer optionalServer = new TestServer(pki, optional, c -> c);
        HttpClient withCertificate = HttpClient.newBuilder().sslContext(clientContextWith(stranger))
            .version(HttpClient.Version.HTTP_1_1).build()) {
      assertThat(optionalServer.get("/hello/anonymous").statusCode()).isEqualTo(200);
      HttpResponse<String> response = withCertificate.send(optionalServer.request("/hello/device").GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
    }
  }

  private Future<Channel> handshake(List<String> protocols, List<String> ciphers) throws Exception {
    SslContext context = SslContextBuilder.forClient()
        .sslProvider(SslProvider.OPENSSL)
        .protocols(protocols)
        .ciphers(ciphers)
        .trustManager(pki.ca())
        .build();
    // Keep the handler itself: a refused handshake can close the channel (emptying its pipeline)
    // before connect() returns, so looking it up in the pipeline afterwards would race.
    java.util.concurrent.atomic.AtomicReference<SslHandler> tls = new java.util.concurrent.atomic.AtomicReference<>();
    Channel channel = new Bootstrap().group(clientLoop).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            tls.set(context.newHandler(ch.alloc(), "127.0.0.1", server.port()));
            ch.pipeline().addLast(tls.get());
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close(); // the handshake future carries the failure
              }
            });
          }
        })
        .connect("127.0.0.1", server.port()).sync().channel();
    try {
      Future<Channel> done = tls.get().handshakeFuture();
      done.await(10, TimeUnit.SECONDS);
      assertThat(done.isDone()).isTrue();
      return done;
    } finally {
      channel.close().sync();
    }
  }

  private SSLContext clientContextWith(TlsMaterial identity) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("client", identity.privateKey(), new char[0],
        identity.certificateChain().toArray(X509Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
    kmf.init(keys, new char[0]);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", pki.ca());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }
}
