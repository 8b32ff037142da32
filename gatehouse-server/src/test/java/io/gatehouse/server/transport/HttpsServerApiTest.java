package io.gatehouse.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** What API clients see: JSON answers, problems, standard headers and the request-size limits. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsServerApiTest {
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
  void answersJsonWithTheSecurityHeadersOverTls13() throws Exception {
    HttpResponse<String> response = server.get("/hello/w%C3%B6rld?color=blue");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("hello").asText()).isEqualTo("wörld");
    assertThat(body.at("/query/color/0").asText()).isEqualTo("blue");
    assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
    assertThat(response.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    assertThat(response.headers().firstValue("strict-transport-security")).hasValue("max-age=31536000");
    assertThat(response.headers().firstValue("x-request-id")).isPresent();
    assertThat(response.headers().firstValueAsLong("content-length")).hasValue(response.body().getBytes().length);
    assertThat(response.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isEqualTo("TLSv1.3"));
  }

  @Test
  void unknownPathIsA404Problem() throws Exception {
    HttpResponse<String> response = server.get("/nowhere");

    assertProblem(response, 404, "/nowhere");
  }

  @Test
  void wrongMethodIsA405ProblemWithAllow() throws Exception {
    HttpResponse<String> response = server.send(server.request("/hello/x").DELETE().build());

    JsonNode problem = assertProblem(response, 405, "DELETE is not allowed");
    assertThat(problem.get("detail").asText()).contains("GET, PUT");
    assertThat(response.headers().firstValue("allow")).hasValue("GET, PUT");
  }

  @Test
  void handlerFailureIsA500ProblemThatLeaksNothing() throws Exception {
    HttpResponse<String> response = server.get("/boom");

    JsonNode problem = assertProblem(response, 500, "logged with this request's id");
    assertThat(response.body()).doesNotContain("hunter2", "IllegalStateException", "at io.", "\tat ");
    assertThat(problem.get("instance").asText()).isEqualTo("/boom");
    assertThat(response.headers().firstValue("x-request-id")).isPresent();
  }

  @Test
  void invalidInputIsA400ProblemWithTheHandlersDetail() throws Exception {
    HttpResponse<String> response = server.get("/invalid");

    JsonNode problem = assertProblem(response, 400, "the name must not be empty");
    assertThat(problem.get("title").asText()).isEqualTo("Bad Request");
  }

  @Test
  void bodyWithinTheLimitReachesTheHandler() throws Exception {
    HttpResponse<String> response = server.send(server.request("/echo")
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[HttpsServerConfig.DEFAULT_MAX_BODY_BYTES])).build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).get("bytes").asInt()).isEqualTo(HttpsServerConfig.DEFAULT_MAX_BODY_BYTES);
  }

  @Test
  void chunkedBodyWithinTheLimitReachesTheHandler() throws Exception {
    // ofInputStream has no length, so the JDK client sends it chunked
    HttpResponse<String> response = server.send(server.request("/echo")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[40_000])))
        .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).get("bytes").asInt()).isEqualTo(40_000);
  }

  @Test
  void declaredBodyOverTheLimitIs413BeforeItIsSent() throws Exception {
    // With Expect: 100-continue the client waits for our answer before sending the body.
    HttpResponse<String> response = server.send(server.request("/echo").expectContinue(true)
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[100_000])).build());

    assertProblem(response, 413, "100000 bytes exceeds the limit of 65536 bytes");
    assertThat(server.listener.withStatus(413)).anySatisfy(r -> assertThat(r.reason()).contains("Content-Length 100000"));
  }

  @Test
  void overlongUriIs414() throws Exception {
    HttpResponse<String> response = server.get("/hello/" + "a".repeat(5000));

    assertProblem(response, 414, "request line is longer than 4096 bytes");
    assertThat(server.listener.withStatus(414)).isNotEmpty();
  }

  @Test
  void oversizedHeadersAre431() throws Exception {
    HttpResponse<String> response = server.send(server.request("/hello/x").header("X-Padding", "p".repeat(20_000))
        .GET().build());

    assertProblem(response, 431, "headers are larger than 16384 bytes");
    assertThat(server.listener.withStatus(431)).isNotEmpty();
  }

  static JsonNode assertProblem(HttpResponse<String> response, int status, String detailPart) throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("detail").asText()).contains(detailPart);
    return problem;
  }
}
