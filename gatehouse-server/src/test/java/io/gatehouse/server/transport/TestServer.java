package io.gatehouse.server.transport;

import io.gatehouse.server.tls.ServerTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** A started HttpsServer on 127.0.0.1 with a random port, plus a JDK HttpClient that trusts it. */
final class TestServer implements AutoCloseable {
  final TestApi api = new TestApi();
  final RecordingListener listener = new RecordingListener();
  final HttpsServer server;
  final HttpClient client;
  final TestPki pki;

  TestServer(TestPki pki) {
    this(pki, pki.serverTls(), UnaryOperator.identity());
  }

  TestServer(TestPki pki, UnaryOperator<HttpsServerConfig> customize) {
    this(pki, pki.serverTls(), customize);
  }

  TestServer(TestPki pki, ServerTls tls, UnaryOperator<HttpsServerConfig> customize) {
    this.pki = pki;
    HttpsServerConfig config = customize.apply(HttpsServerConfig.defaults(new InetSocketAddress("127.0.0.1", 0)));
    server = new HttpsServer(config, tls, api.router(), api.json, listener).start();
    client = HttpClient.newBuilder()
        .sslContext(pki.clientContext())
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  int port() {
    return server.port();
  }

  URI uri(String pathAndQuery) {
    return URI.create("https://127.0.0.1:" + port() + pathAndQuery);
  }

  HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10));
  }

  HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return send(request(pathAndQuery).GET().build());
  }

  RawTls raw() throws IOException {
    return new RawTls(pki.clientContext(), port());
  }

  @Override
  public void close() {
    client.close();
    server.close();
  }
}
