package io.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The served OpenAPI document describes exactly the routes the gateway serves: a route added
 * without documentation, or documentation of a route that does not exist, fails the build.
 */
class OpenApiDocumentTest {
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options",
      "trace");
  private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");

  @RegisterExtension private static final GatewayFixture gw = GatewayFixture.perTestClass();

  /** One operation of the document, with what it declares. */
  private record Operation(String method, String path, JsonNode node, JsonNode document) {
    String route() {
      return method.toUpperCase(Locale.ROOT) + " " + path;
    }

    /** {@code security: []} on the operation; the document's global requirement otherwise. */
    boolean exempt() {
      JsonNode security = node.has("security") ? node.get("security") : document.path("security");
      return security.isArray() && security.isEmpty();
    }
  }

  @Test
  void documentIsServedWithoutCredentialsAndDescribesExactlyTheServedRoutes() throws Exception {
    JsonNode document = fetchDocument();
    assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
    assertThat(document.path("info").path("title").asText()).isEqualTo("Gatehouse service API");

    Set<String> documented = new TreeSet<>();
    operations(document).forEach(op -> documented.add(op.route()));
    assertThat(documented)
        .as("(METHOD, path) pairs in openapi.yaml vs. routes the gateway serves")
        .containsExactlyInAnyOrderElementsOf(new TreeSet<>(gw.gateway().routes()));
  }

  @Test
  void everyOperationIsIdentifiedAndDeclaresItsSecurity() throws Exception {
    JsonNode document = fetchDocument();
    assertThat(document.at("/components/securitySchemes/sas/type").asText()).isEqualTo("apiKey");
    assertThat(document.at("/components/securitySchemes/sas/in").asText()).isEqualTo("header");
    assertThat(document.at("/components/securitySchemes/sas/name").asText()).isEqualTo("Authorization");

    DocumentedAnswers answers = new DocumentedAnswers(document);
    Set<String> operationIds = new HashSet<>();
    for (Operation op : operations(document)) {
      String id = op.node().path("operationId").asText("");
      assertThat(id).as("operationId of %s", op.route()).isNotBlank();
      assertThat(operationIds.add(id)).as("operationId %s of %s is unique", id, op.route()).isTrue();
      assertThat(op.node().path("summary").asText("")).as("summary of %s", op.route()).isNotBlank();

      JsonNode responses = op.node().path("responses");
      assertThat(responses.isObject() && !responses.isEmpty()).as("responses of %s", op.route()).isTrue();
      if (!op.exempt()) {
        assertThat(responses.has("401")).as("%s is secured, so it documents 401", op.route()).isTrue();
        assertThat(responses.has("403")).as("%s is secured, so it documents 403", op.route()).isTrue();
        assertThat(op.node().path("description").asText())
            .as("%s states the permission it requires", op.route()).contains("Requires `");
      }

      Set<String> declared = new TreeSet<>();
      List<JsonNode> parameters = new ArrayList<>();
      document.path("paths").path(op.path()).path("parameters").forEach(parameters::add);
      op.node().path("parameters").forEach(parameters::add);
      for (JsonNode parameter : parameters) {
        JsonNode resolved = answers.resolve(parameter);
        if ("path".equals(resolved.path("in").asText())) {
          assertThat(resolved.path("required").asBoolean()).as("path parameter of %s is required", op.route())
              .isTrue();
          declared.add(resolved.path("name").asText());
        }
      }
      Set<String> inPath = new TreeSet<>();
      Matcher m = PATH_PARAMETER.matcher(op.path());
      while (m.find()) {
        inPath.add(m.group(1));
      }
      assertThat(declared).as("path parameters declared for %s", op.route()).isEqualTo(inPath);
    }
  }

  /** The document's security claims hold against the running gateway: exempt routes need no token, others 401. */
  @Test
  void securityExemptionsMatchTheServer() throws Exception {
    JsonNode document = fetchDocument();
    for (Operation op : operations(document)) {
      String concrete = PATH_PARAMETER.matcher(op.path()).replaceAll("probe-1");
      HttpResponse<String> response = gw.send(op.method().toUpperCase(Locale.ROOT), concrete, null, null);
      if (op.exempt()) {
        assertThat(response.statusCode()).as("%s without credentials", op.route()).isNotIn(401, 403);
      } else {
        assertThat(response.statusCode()).as("%s without credentials", op.route()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("SharedAccessSignature");
      }
    }
  }

  @Test
  void everyReferenceResolves() throws Exception {
    JsonNode document = fetchDocument();
    Map<String, String> refs = new TreeMap<>();
    collectRefs(document, "", refs);
    assertThat(refs).isNotEmpty();
    refs.forEach((where, ref) -> {
      assertThat(ref).as("$ref at %s is local", where).startsWith("#/");
      assertThat(document.at(ref.substring(1)).isMissingNode()).as("$ref %s at %s resolves", ref, where).isFalse();
    });
    for (String shared : List.of("BadRequest", "Unauthorized", "Forbidden", "NotFound", "Conflict",
        "PreconditionFailed", "PayloadTooLarge")) {
      assertThat(document.at("/components/responses/" + shared + "/content/application~1problem+json/schema/$ref")
          .asText()).as("response %s", shared).isEqualTo("#/components/schemas/Problem");
    }
  }

  /**
   * Real answers fit what the document says for that operation and status: the content type, the
   * ETag header where one is documented, required members present and no undocumented member.
   */
  @Test
  void realAnswersMatchTheDocumentedSchemas() throws Exception {
    JsonNode document = fetchDocument();
    Conformance check = new Conformance(new DocumentedAnswers(document));

    JsonNode edge = check.call("PUT", "/devices/{id}", "/devices/oa-edge", "{\"kind\":\"edge\"}", 201);
    assertThat(edge.path("primaryKey").isTextual()).isTrue();
    check.call("PUT", "/devices/{id}", "/devices/oa-d1",
        "{\"parentId\":\"oa-edge\",\"statusReason\":null,\"tags\":{\"site\":\"a\"}}", 201);
    String etag = check.call("GET", "/devices/{id}", "/devices/oa-d1", null, 200).path("etag").asText();
    check.call("PUT", "/devices/{id}", "/devices/oa-d1", "{\"parentId\":\"oa-edge\",\"tags\":{\"site\":\"b\"}}",
        200, "If-Match", "\"" + etag + "\"");
    check.call("PUT", "/devices/{id}", "/devices/oa-d1", "{}", 412, "If-Match", "\"" + etag + "\"");
    check.call("PUT", "/devices/{id}", "/devices/oa-d1", "{\"colour\":\"red\"}", 400);
    check.call("PUT", "/devices/{id}", "/devices/oa-d1", "{}", 409);
    check.call("GET", "/devices", "/devices?kind=device&tag=site:b&pageSize=1", null, 200);
    check.call("POST", "/devices/{id}/disable", "/devices/oa-d1/disable", "{\"reason\":\"lost\"}", 200);
    check.call("POST", "/devices/{id}/enable", "/devices/oa-d1/enable", null, 200);
    check.call("POST", "/devices/{id}/keys/regenerate", "/devices/oa-d1/keys/regenerate", "{\"key\":\"rotate\"}", 200);
    check.call("GET", "/devices/{id}/connection-string", "/devices/oa-d1/connection-string?key=secondary", null, 200);
    check.call("POST", "/devices/{id}/token", "/devices/oa-d1/token", null, 200);
    check.call("POST", "/devices/{id}/token", "/devices/oa-d1/token", "{\"ttlSeconds\":5}", 400);
    check.call("PUT", "/devices/{id}", "/devices/oa-x1", "{\"authentication\":{\"type\":\"x509-thumbprint\","
        + "\"primaryThumbprint\":\"" + "ab".repeat(32) + "\"}}", 201);
    check.call("GET", "/devices/{id}", "/devices/oa-x1", null, 200);
    check.call("GET", "/devices/{id}/connection-string", "/devices/oa-x1/connection-string", null, 409);
    check.call("DELETE", "/devices/{id}", "/devices/oa-edge", null, 409);
    check.call("GET", "/edges/{id}/posture", "/edges/oa-edge/posture", null, 404);
    check.call("GET", "/edges/{id}/posture", "/edges/oa-d1/posture", null, 404);
    check.call("GET", "/devices/{id}", "/devices/oa-none", null, 404);

    JsonNode service = check.call("PUT", "/services/{name}", "/services/oa-s1",
        "{\"permissions\":[{\"permission\":\"messages.send\",\"devices\":[\"oa-d1\"],\"tags\":{\"site\":\"a\"}},"
            + "{\"permission\":\"audit.read\"}]}", 201);
    check.call("GET", "/services/{name}", "/services/oa-s1", null, 200);
    check.call("GET", "/services", "/services?pageSize=1", null, 200);
    check.call("POST", "/services/{name}/disable", "/services/oa-s1/disable", null, 200);
    check.call("POST", "/services/{name}/enable", "/services/oa-s1/enable", null, 200);
    check.call("POST", "/services/{name}/keys/regenerate", "/services/oa-s1/keys/regenerate", "{\"key\":\"swap\"}",
        200);
    check.call("GET", "/services/{name}/connection-string", "/services/oa-s1/connection-string", null, 200);
    HttpResponse<String> denied = gw.as(service.path("connectionString").asText(), "GET", "/devices", null);
    check.verify("GET", "/devices", denied);
    assertThat(Json.of(denied).path("missingPermission").asText()).isEqualTo("registry.read");

    String pem = Files.readString(gw.dataDirectory().resolve("ca.pem"));
    check.call("PUT", "/certificates/{name}", "/certificates/oa-ca",
        new ObjectMapper().createObjectNode().put("pem", pem).toString(), 201);
    check.call("GET", "/certificates/{name}", "/certificates/oa-ca", null, 200);
    check.call("GET", "/certificates", "/certificates", null, 200);
    check.call("DELETE", "/certificates/{name}", "/certificates/oa-ca", null, 204);

    check.call("GET", "/audit", "/audit?from=1&limit=2", null, 200);
    check.call("GET", "/audit", "/audit?limit=0", null, 400);
    check.call("GET", "/audit/verify", "/audit/verify", null, 200);
    check.call("DELETE", "/devices/{id}", "/devices/oa-d1", null, 204);
    check.verify("GET", "/healthz", gw.send("GET", "/healthz", null, null));
    check.verify("GET", "/readyz", gw.send("GET", "/readyz", null, null));
    check.verify("GET", "/devices", gw.send("GET", "/devices", null, null));
  }

  /** Calls the gateway as the operator and checks the answer against the document. */
  private record Conformance(DocumentedAnswers answers) {
    JsonNode call(String method, String template, String path, String body, int expected, String... headers)
        throws Exception {
      HttpResponse<String> response = gw.asOperator(method, path, body, headers);
      assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(expected);
      return verify(method, template, response);
    }

    JsonNode verify(String method, String template, HttpResponse<String> response) {
      return answers.verify(method, template, response);
    }
  }

  private static JsonNode fetchDocument() throws Exception {
    HttpResponse<String> response = gw.send("GET", "/openapi.yaml", null, null);
    assertThat(response.statusCode()).as("GET /openapi.yaml without credentials").isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/yaml"));
    JsonNode document = new YAMLMapper().readTree(response.body());
    assertThat(document.path("paths").isObject()).as("the document has paths").isTrue();
    return document;
  }

  private static List<Operation> operations(JsonNode document) {
    List<Operation> operations = new ArrayList<>();
    document.path("paths").fields().forEachRemaining(path -> {
      for (String method : METHODS) {
        JsonNode node = path.getValue().get(method);
        if (node != null) {
          operations.add(new Operation(method, path.getKey(), node, document));
        }
      }
    });
    return operations;
  }

  private static void collectRefs(JsonNode node, String where, Map<String, String> refs) {
    if (node.isObject()) {
      node.fields().forEachRemaining(field -> {
        String here = where + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
        if (field.getKey().equals("$ref") && field.getValue().isTextual()) {
          refs.put(here, field.getValue().asText());
        } else {
          collectRefs(field.getValue(), here, refs);
        }
      });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectRefs(node.get(i), where + "/" + i, refs);
      }
    }
  }
}
