package io.gatehouse.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Hostile or broken input: the connection at fault is refused or closed, and the server keeps serving. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsServerRobustnessTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestServer server;

  @BeforeAll
  void start(@TempDir Path pkiDirectory) throws Exception {
    server = new TestServer(TestPki.create(pkiDirectory));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void plainHttpOnTheTlsPortIsClosedWithoutAnHttpAnswer() throws Exception {
    try (Socket plain = RawTls.plain(server.port())) {
      plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nAuthorization: SharedAccessSignature sig=x\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      byte[] answer = readUntilClosed(plain.getInputStream());
      assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/1.1");
    }

    assertThat(server.get("/hello/after-plaintext").statusCode()).isEqualTo(200);
  }

  @Test
  void garbageAfterTheHandshakeIs400AndTheServerKeepsServing() throws Exception {
    byte[] junk = new byte[300];
    new Random(42).nextBytes(junk);
    try (RawTls raw = server.raw()) {
      raw.write(junk).write("\r\n\r\n");
      RawTls.Response response = raw.read();

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.header("content-type")).isEqualTo("application/problem+json");
      assertThat(response.header("connection")).isEqualTo("close");
      assertThat(raw.closedByServer()).isTrue();
    }
    assertThat(server.listener.withStatus(400)).anySatisfy(r -> assertThat(r.reason()).startsWith("malformed HTTP"));

    assertThat(server.get("/hello/after-garbage").statusCode()).isEqualTo(200);
  }

  @Test
  void declaredOversizedBodyIsRefusedBeforeAnyOfItIsSent() throws Exception {
    try (RawTls raw = server.raw()) {
      // Only the head: the server must answer without waiting for a megabyte it will never buffer.
      raw.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n");
      RawTls.Response response = raw.read();

      assertThat(response.status()).isEqualTo(413);
      assertThat(JSON.readTree(response.body()).get("detail").asText()).contains("exceeds the limit of 65536 bytes");
      assertThat(raw.closedByServer()).isTrue();
    }
    assertThat(server.listener.withStatus(413)).anySatisfy(r -> {
      assertThat(r.reason()).contains("Content-Length 1000000");
      assertThat(r.remote()).isNotNull();
    });
  }

  @Test
  void chunkedBodyGrowingPastTheLimitIs413() throws Exception {
    try (RawTls raw = server.raw()) {
      raw.write("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
      String chunk = "2000\r\n" + "a".repeat(0x2000) + "\r\n";
      raw.write(chunk.repeat(8)); // exactly the limit: still fine
      raw.write("1\r\nb\r\n"); // one byte too many
      RawTls.Response response = raw.read();

      assertThat(response.status()).isEqualTo(413);
      assertThat(response.header("content-type")).isEqualTo("application/problem+json");
      assertThat(raw.closedByServer()).isTrue();
    }
    assertThat(server.listener.withStatus(413)).anySatisfy(r -> assertThat(r.reason()).contains("chunked"));

    assertThat(server.get("/hello/after-chunks").statusCode()).isEqualTo(200);
  }

  @Test
  void badPercentEncodingIs400AndTheConnectionStaysUsable() throws Exception {
    try (RawTls raw = server.raw()) {
      RawTls.Response bad = raw.write("GET /hello/%zz HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.header("content-type")).isEqualTo("application/problem+json");

      RawTls.Response good = raw.write("GET /hello/again HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertThat(good.status()).isEqualTo(200);
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
    try (RawTls raw = server.raw()) {
      raw.write("GET /hello/one HTTP/1.1\r\nHost: x\r\n\r\n"
          + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
          + "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /hello/four HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

      assertThat(JSON.readTree(raw.read().body()).get("hello").asText()).isEqualTo("one");
      assertThat(JSON.readTree(raw.read().body()).get("bytes").asInt()).isEqualTo(3);
      assertThat(raw.read().status()).isEqualTo(404);
      RawTls.Response last = raw.read();
      assertThat(JSON.readTree(last.body()).get("hello").asText()).isEqualTo("four");
      assertThat(last.header("connection")).isEqualTo("close");
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void http10KeepAliveIsHonoured() throws Exception {
    try (RawTls raw = server.raw()) {
      RawTls.Response first = raw.write("GET /hello/old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.header("connection")).isEqualToIgnoringCase("keep-alive");

      RawTls.Response second = raw.write("GET /hello/older HTTP/1.0\r\n\r\n").read();
      assertThat(second.status()).isEqualTo(200);
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  private static byte[] readUntilClosed(InputStream in) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
        out.write(buffer, 0, n);
      }
    } catch (SocketException reset) {
      // closed with a reset: closed all the same
    }
    return out.toByteArray();
  }
}
