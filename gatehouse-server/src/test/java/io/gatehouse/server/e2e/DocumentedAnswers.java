package io.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks real answers against the served openapi.yaml, as OpenApiDocumentTest does for the registry:
 * the status is documented for the operation, with its headers and content type, and a JSON body has
 * every required member and no undocumented one (recursively, with the subset of JSON Schema the
 * document uses, {@code allOf} included).
 */
final class DocumentedAnswers {
  private final JsonNode document;

  DocumentedAnswers(GatewayFixture gw) throws Exception {
    this(new YAMLMapper().readTree(gw.send("GET", "/openapi.yaml", null, null).body()));
  }

  /** Checks against {@code document}, an openapi.yaml already read. */
  DocumentedAnswers(JsonNode document) {
    this.document = document;
  }

  /** Verifies {@code response} as an answer of {@code METHOD template}; returns its JSON (missing when bodiless). */
  JsonNode verify(String method, String template, HttpResponse<String> response) {
    String op = method + " " + template + " -> " + response.statusCode();
    JsonNode documented = document.path("paths").path(template).path(method.toLowerCase(Locale.ROOT))
        .path("responses").path(Integer.toString(response.statusCode()));
    assertThat(documented.isMissingNode()).as("%s is documented", op).isFalse();
    documented = resolve(documented);
    documented.path("headers").fieldNames().forEachRemaining(header ->
        assertThat(response.headers().firstValue(header)).as("%s header %s", op, header).isPresent());
    JsonNode content = documented.path("content");
    if (content.isMissingNode() || content.isEmpty()) {
      assertThat(response.body()).as("%s has no body", op).isEmpty();
      return MissingNode.getInstance();
    }
    String type = response.headers().firstValue("Content-Type").orElse("");
    assertThat(content.has(type)).as("%s content type %s is documented", op, type).isTrue();
    JsonNode value = Json.of(response);
    conforms(op, "", value, content.path(type).path("schema"));
    return value;
  }

  /** The content types documented for a status of an operation. */
  Set<String> contentTypes(String method, String template, int status) {
    Set<String> types = new TreeSet<>();
    resolve(document.path("paths").path(template).path(method.toLowerCase(Locale.ROOT)).path("responses")
        .path(Integer.toString(status))).path("content").fieldNames().forEachRemaining(types::add);
    return types;
  }

  /** A value (such as one event's data) against a named schema of {@code components/schemas}. */
  void conformsToSchema(String what, JsonNode value, String schema) {
    conforms(what, "", value, document.path("components").path("schemas").path(schema));
  }

  private void conforms(String op, String where, JsonNode value, JsonNode schemaOrRef) {
    JsonNode schema = resolve(schemaOrRef);
    if (schema.has("allOf")) {
      Set<String> known = new TreeSet<>();
      for (JsonNode part : schema.get("allOf")) {
        JsonNode resolved = resolve(part);
        resolved.path("properties").fieldNames().forEachRemaining(known::add);
        resolved.path("required").forEach(r -> assertThat(value.has(r.asText()))
            .as("%s%s has required member %s", op, where, r.asText()).isTrue());
      }
      checkMembers(op, where, value, known);
      for (JsonNode part : schema.get("allOf")) {
        resolve(part).path("properties").properties().forEach(p -> {
          if (value.has(p.getKey())) {
            conforms(op, where + "." + p.getKey(), value.get(p.getKey()), p.getValue());
          }
        });
      }
      return;
    }
    if (value.isObject() && schema.has("properties")) {
      Set<String> known = new TreeSet<>();
      schema.path("properties").fieldNames().forEachRemaining(known::add);
      schema.path("required").forEach(r -> assertThat(value.has(r.asText()))
          .as("%s%s has required member %s", op, where, r.asText()).isTrue());
      checkMembers(op, where, value, known);
      schema.path("properties").properties().forEach(p -> {
        if (value.has(p.getKey())) {
          conforms(op, where + "." + p.getKey(), value.get(p.getKey()), p.getValue());
        }
      });
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        conforms(op, where + "[" + i + "]", value.get(i), schema.get("items"));
      }
    }
    if (schema.has("enum") && value.isValueNode()) {
      List<String> allowed = new ArrayList<>();
      schema.get("enum").forEach(e -> allowed.add(e.asText()));
      assertThat(allowed).as("%s%s value", op, where).contains(value.asText());
    }
    if (schema.has("const")) {
      assertThat(value.asText()).as("%s%s value", op, where).isEqualTo(schema.get("const").asText());
    }
  }

  private static void checkMembers(String op, String where, JsonNode value, Set<String> known) {
    value.fieldNames().forEachRemaining(name ->
        assertThat(known).as("%s%s member %s is documented", op, where, name).contains(name));
  }

  /** {@code node}, or what its {@code $ref} chain leads to in the document. */
  JsonNode resolve(JsonNode node) {
    JsonNode current = node;
    for (int hops = 0; current.has("$ref"); hops++) {
      assertThat(hops).as("$ref chain from %s", node).isLessThan(10);
      current = document.at(current.get("$ref").asText().substring(1));
    }
    return current;
  }
}
