package io.gatehouse.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.HotSpotDiagnosticMXBean;
import io.gatehouse.server.http.ApiResponse;
import io.gatehouse.server.http.JsonCodec;
import io.gatehouse.server.http.Router;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event streams at the transport: a slow client blocks the producer instead of filling memory, a
 * stream outlives the request deadline, and the number of open streams is bounded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventStreamTransportTest {
  private static final int EVENTS = 64;
  private static final String QUARTER_MEGABYTE = "x".repeat(256 * 1024);

  private TestPki pki;
  private final JsonCodec json = new JsonCodec();
  private final AtomicInteger sent = new AtomicInteger();
  private final CountDownLatch produced = new CountDownLatch(1);

  @BeforeAll
  void createPki(@TempDir Path pkiDirectory) throws Exception {
    pki = TestPki.create(pkiDirectory);
  }

  private Router router() {
    return new Router()
        .add("GET", "/flood", request -> ApiResponse.eventStream(events -> {
          for (int i = 1; i <= EVENTS; i++) {
            if (!events.send(Integer.toString(i), "chunk", QUARTER_MEGABYTE)) {
              return;
            }
            sent.incrementAndGet();
          }
          produced.countDown();
        }))
        .add("GET", "/slow", request -> ApiResponse.eventStream(events -> {
          events.send("1", "tick", "first");
          events.pause(Duration.ofMillis(800)); // past the 300 ms request deadline
          events.send("2", "tick", "second\nline");
          events.comment("bye");
        }))
        .add("GET", "/held", request -> ApiResponse.eventStream(events -> {
          events.send("1", "held", "open");
          while (events.pause(Duration.ofMillis(50))) {
            // held open until the server closes
          }
        }));
  }

  private HttpsServer start(UnaryOperator<HttpsServerConfig> customize) {
    HttpsServerConfig config = customize.apply(HttpsServerConfig.defaults(new InetSocketAddress("127.0.0.1", 0)));
    return new HttpsServer(config, pki.serverTls(), router(), json, new RecordingListener()).start();
  }

  @Test
  void aClientThatDoesNotReadBlocksTheProducerUntilItReadsAgain() throws Exception {
    try (HttpsServer server = start(UnaryOperator.identity());
         SSLSocket socket = (SSLSocket) pki.clientContext().getSocketFactory().createSocket("127.0.0.1",
             server.port())) {
      socket.setSoTimeout(10_000); // a guard against a hanging test, not a wait
      socket.getOutputStream().write("GET /flood HTTP/1.1\r\nHost: localhost\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();

      await().atMost(Duration.ofSeconds(10)).until(() -> producerWaitsForTheClient());
      assertThat(sent.get()).as("events written before the producer blocked").isLessThan(EVENTS);

      int received = countEvents(socket);
      assertThat(received).isEqualTo(EVENTS);
      assertThat(produced.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aStreamOutlivesTheRequestDeadlineAndEndsCleanly() throws Exception {
    try (HttpsServer server = start(c -> c.withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300)));
         HttpClient client = client()) {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri(server, "/slow")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
      assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(response.headers().firstValue("Connection")).hasValue("close");
      assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
      assertThat(response.body()).isEqualTo("id: 1\nevent: tick\ndata: first\n\n"
          + "id: 2\nevent: tick\ndata: second\ndata: line\n\n"
          + ": bye\n\n");
    }
  }

  @Test
  void streamsBeyondTheLimitGet503AndClosingTheServerEndsTheOpenOne() throws Exception {
    HttpsServer server = start(c -> c.withMaxInFlightRequests(1));
    try (HttpClient client = client()) {
      HttpResponse<InputStream> open = client.send(HttpRequest.newBuilder(uri(server, "/held")).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      BufferedReader lines = new BufferedReader(new InputStreamReader(open.body(), StandardCharsets.UTF_8));
      assertThat(lines.readLine()).isEqualTo("id: 1");

      HttpResponse<String> refused = client.send(HttpRequest.newBuilder(uri(server, "/held")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("too many event streams");

      server.close();
      assertThat(lines.lines().toList()).as("the rest of the stream, up to its end")
          .containsExactly("event: held", "data: open", "");
    } finally {
      server.close();
    }
  }

  /** Reads the raw chunked response to its end and counts its events. */
  private static int countEvents(SSLSocket socket) throws Exception {
    BufferedReader lines = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    int events = 0;
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (line.startsWith("id: ")) {
        events++;
      }
      if (line.equals("0")) { // the last chunk
        break;
      }
    }
    return events;
  }

  private static boolean producerWaitsForTheClient() throws Exception {
    Path dump = Files.createTempFile("threads", ".json");
    Files.delete(dump);
    try {
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
      for (JsonNode container : new ObjectMapper().readTree(dump.toFile()).path("threadDump").path("threadContainers")) {
        for (JsonNode thread : container.path("threads")) {
          if (thread.path("name").asText().startsWith("gatehouse-stream-")
              && thread.path("stack").toString().contains("awaitWritable")) {
            return true;
          }
        }
      }
      return false;
    } finally {
      Files.deleteIfExists(dump);
    }
  }

  private HttpClient client() {
    return HttpClient.newBuilder().sslContext(pki.clientContext()).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static URI uri(HttpsServer server, String path) {
    return URI.create("https://127.0.0.1:" + server.port() + path);
  }
}
