package io.gatehouse.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Server-Sent Events client over real TLS, as a browser's EventSource reads a stream: a reader
 * thread parses events into a queue. It has its own HttpClient, so {@link #close()} really cuts the
 * connection, as a client going away does.
 */
final class EventStreamClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Event(String id, String event, String data) {
    JsonNode json() {
      try {
        return JSON.readTree(data);
      } catch (IOException e) {
        throw new AssertionError("event data is not JSON: " + data, e);
      }
    }
  }

  private final HttpClient http;
  final HttpResponse<InputStream> response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final AtomicInteger comments = new AtomicInteger();
  private final CountDownLatch ended = new CountDownLatch(1);

  private EventStreamClient(HttpClient http, HttpResponse<InputStream> response) {
    this.http = http;
    this.response = response;
    Thread.ofPlatform().daemon().name("sse-test-reader").start(this::read);
  }

  /** Opens {@code pathAndQuery} with {@code authorization}; extra headers as name, value pairs. */
  static EventStreamClient open(GatewayFixture gw, String authorization, String pathAndQuery, String... headers)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(GatewayFixture.trusting(gw.dataDirectory().resolve("ca.pem")))
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(gw.uri(pathAndQuery)).GET()
        .header("Authorization", authorization).header("Accept", "text/event-stream");
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
      http.shutdownNow();
      throw new AssertionError("stream refused: " + response.statusCode() + " " + body);
    }
    return new EventStreamClient(http, response);
  }

  private void read() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String id = null;
      String event = null;
      StringBuilder data = null;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isEmpty()) {
          if (data != null) {
            events.add(new Event(id, event, data.toString()));
          }
          id = null;
          event = null;
          data = null;
        } else if (line.startsWith(":")) {
          comments.incrementAndGet();
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = data == null ? new StringBuilder() : data.append('\n');
          data.append(line.substring(6));
        }
      }
    } catch (IOException e) {
      // cut by close(): the end, too
    } finally {
      ended.countDown();
    }
  }

  /** The next event, waiting up to 10 s for it. */
  Event next() throws InterruptedException {
    Event event = events.poll(10, TimeUnit.SECONDS);
    if (event == null) {
      throw new AssertionError("no event within 10 s");
    }
    return event;
  }

  List<Event> next(int count) throws InterruptedException {
    List<Event> taken = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      taken.add(next());
    }
    return taken;
  }

  /** Events already received and not taken yet. */
  int pending() {
    return events.size();
  }

  /** Whether the server ended the stream (the body ended) within {@code timeout}. */
  boolean endedWithin(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    http.shutdownNow();
  }

  /**
   * Names of the live stream producer threads in this JVM ({@code gatehouse-stream-N}), from a thread
   * dump that includes virtual threads.
   */
  static List<String> streamProducers() throws IOException {
    Path dump = Files.createTempFile("threads", ".json");
    Files.delete(dump);
    try {
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
      List<String> names = new ArrayList<>();
      for (JsonNode container : JSON.readTree(dump.toFile()).path("threadDump").path("threadContainers")) {
        for (JsonNode thread : container.path("threads")) {
          String name = thread.path("name").asText();
          if (name.startsWith("gatehouse-stream-")) {
            names.add(name);
          }
        }
      }
      return names;
    } finally {
      Files.deleteIfExists(dump);
    }
  }
}
