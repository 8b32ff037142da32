package io.gatehouse.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Start, stop, timeouts and the in-flight bound; each test has its own server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsServerLifecycleTest {
  private TestPki pki;

  @BeforeAll
  void createPki(@TempDir Path pkiDirectory) throws Exception {
    pki = TestPki.create(pkiDirectory);
  }

  @Test
  void closeLetsAnInFlightRequestFinishWhileRefusingNewConnections() throws Exception {
    TestServer server = new TestServer(pki);
    int port = server.port();
    CompletableFuture<HttpResponse<String>> inFlight =
        server.client.sendAsync(server.request("/gate").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(server.api.gateEntered.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(server.server::close);

    await().atMost(Duration.ofSeconds(10)).until(() -> refusesConnections(port));
    assertThat(inFlight).isNotDone();
    assertThat(closing).isNotDone();

    server.api.gateOpen.countDown();
    HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("passed");
    assertThat(response.headers().firstValue("connection")).hasValue("close");
    closing.get(10, TimeUnit.SECONDS);

    server.close(); // again: nothing happens
    assertThat(refusesConnections(port)).isTrue();
  }

  @Test
  void closeGivesUpOnAHandlerThatOutlivesTheGracePeriod() throws Exception {
    TestServer server = new TestServer(pki, c -> c.withShutdownGracePeriod(Duration.ofMillis(200)));
    CompletableFuture<HttpResponse<String>> inFlight =
        server.client.sendAsync(server.request("/gate").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(server.api.gateEntered.await(10, TimeUnit.SECONDS)).isTrue();

    server.server.close(); // returns although the gate never opens

    assertThat(inFlight).failsWithin(Duration.ofSeconds(10));
    server.close();
  }

  @Test
  void requestsBeyondTheInFlightLimitGet503() throws Exception {
    try (TestServer server = new TestServer(pki, c -> c.withMaxInFlightRequests(1))) {
      CompletableFuture<HttpResponse<String>> first =
          server.client.sendAsync(server.request("/gate").GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(server.api.gateEntered.await(10, TimeUnit.SECONDS)).isTrue();

      HttpResponse<String> second = server.get("/hello/too-many");

      HttpsServerApiTest.assertProblem(second, 503, "too many requests");
      assertThat(second.headers().firstValue("retry-after")).hasValue("1");
      assertThat(server.listener.withStatus(503)).hasSize(1);
      server.api.gateOpen.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      // the slot is freed once the first answer is written, which the client may see a moment before
      await().atMost(Duration.ofSeconds(5)).untilAsserted(
          () -> assertThat(server.get("/hello/later").statusCode()).isEqualTo(200));
    }
  }

  @Test
  void aPipelinedRequestWaitsUntilTheOneBeforeIsAnswered() throws Exception {
    try (TestServer server = new TestServer(pki); RawTls raw = server.raw()) {
      raw.write("GET /gate HTTP/1.1\r\nHost: x\r\n\r\nGET /hello/second HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(server.api.gateEntered.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(server.api.helloCalls).hasValue(0);

      server.api.gateOpen.countDown();

      assertThat(raw.read().body()).contains("passed");
      assertThat(raw.read().body()).contains("second");
      assertThat(server.api.helloCalls).hasValue(1);
    }
  }

  @Test
  void anIncompleteRequestIsAnswered408AtTheDeadline() throws Exception {
    try (TestServer server = new TestServer(pki, c -> c.withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(500)));
        RawTls raw = server.raw()) {
      raw.write("GET /hello/slow HTTP/1.1\r\nHost: x\r\n"); // and never the blank line

      RawTls.Response response = raw.read();

      assertThat(response.status()).isEqualTo(408);
      assertThat(response.header("content-type")).isEqualTo("application/problem+json");
      assertThat(raw.closedByServer()).isTrue();
      assertThat(server.listener.withStatus(408)).singleElement()
          .satisfies(r -> assertThat(r.reason()).isEqualTo("incomplete request after 500 ms"));
    }
  }

  @Test
  void anIdleConnectionIsClosedQuietlyAtTheDeadline() throws Exception {
    try (TestServer server = new TestServer(pki, c -> c.withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(500)));
        RawTls raw = server.raw()) {
      RawTls.Response first = raw.write("GET /hello/once HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertThat(first.status()).isEqualTo(200);

      assertThat(raw.closedByServer()).isTrue(); // nothing more was sent within 500 ms
      assertThat(server.listener.all()).isEmpty();
    }
  }

  @Test
  void aConnectionThatNeverHandshakesIsClosedAndReported() throws Exception {
    try (TestServer server = new TestServer(pki, c -> c.withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(30)));
        Socket silent = RawTls.plain(server.port())) {
      int read;
      try {
        read = silent.getInputStream().read();
        while (read != -1) {
          read = silent.getInputStream().read();
        }
      } catch (IOException reset) {
        read = -1;
      }
      assertThat(read).isEqualTo(-1);
      await().atMost(Duration.ofSeconds(5)).until(() -> !server.listener.withStatus(408).isEmpty());
      assertThat(server.listener.withStatus(408).get(0).reason()).contains("TLS handshake");
    }
  }

  @Test
  void portZeroBindsARandomPortAndAServerStartsOnlyOnce() throws Exception {
    try (TestServer server = new TestServer(pki)) {
      assertThat(server.port()).isPositive();
      assertThat(server.server.localAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
      assertThat(server.server.transportName()).isIn("epoll", "nio");
      assertThatThrownBy(server.server::start).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void bindingATakenPortFailsWithTheAddress() throws Exception {
    try (TestServer first = new TestServer(pki)) {
      HttpsServerConfig sameAddress = HttpsServerConfig.defaults(new InetSocketAddress("127.0.0.1", first.port()));
      HttpsServer second = new HttpsServer(sameAddress, pki.serverTls(), first.api.router(), first.api.json,
          (remote, status, reason) -> { });

      assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot listen on").hasMessageContaining(String.valueOf(first.port()));
      second.close();
    }
  }

  private static boolean refusesConnections(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.getOutputStream().write("x".getBytes(StandardCharsets.US_ASCII));
      return false;
    } catch (ConnectException refused) {
      return true;
    } catch (IOException other) {
      return false;
    }
  }
}
