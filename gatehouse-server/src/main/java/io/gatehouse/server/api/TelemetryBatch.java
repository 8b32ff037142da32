package io.gatehouse.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.message.MessageProperties;
import io.gatehouse.core.message.TelemetryMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A batch of device-to-cloud messages as the Azure device SDKs send it over HTTPS
 * ({@code Content-Type: application/vnd.microsoft.iothub.json}): a JSON array of
 * {@code {"body":"…","base64Encoded":true,"properties":{"iothub-app-x":"…","iothub-messageid":"…"}}}.
 * Every element is checked before any is accepted; a bad one is named by its index.
 */
final class TelemetryBatch {
  static final String CONTENT_TYPE = "application/vnd.microsoft.iothub.json";
  /** The whole batch, as Azure IoT Hub limits it. */
  static final int MAX_BYTES = TelemetryMessage.MAX_SIZE;
  private static final Set<String> MEMBERS = Set.of("body", "base64Encoded", "properties");

  /** One element, decoded. */
  record Message(MessageProperties properties, byte[] payload) {}

  private TelemetryBatch() {}

  /** Whether a request's {@code Content-Type} marks it as a batch (parameters such as charset are ignored). */
  static boolean isBatch(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return mediaType.toLowerCase(Locale.ROOT).equals(CONTENT_TYPE);
  }

  /** @throws InvalidInputException naming the element and member at fault */
  static List<Message> parse(byte[] body, ObjectMapper mapper) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("batch is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidInputException("batch cannot be read: " + e.getMessage());
    }
    if (root == null || !root.isArray()) {
      throw new InvalidInputException("batch must be a JSON array of {\"body\",\"base64Encoded\",\"properties\"}");
    }
    if (root.isEmpty()) {
      throw new InvalidInputException("batch is empty; send at least one message");
    }
    List<Message> messages = new ArrayList<>(root.size());
    for (int i = 0; i < root.size(); i++) {
      try {
        messages.add(element(root.get(i)));
      } catch (InvalidInputException e) {
        throw new InvalidInputException("batch element [" + i + "]: " + e.getMessage());
      }
    }
    return messages;
  }

  private static Message element(JsonNode node) {
    if (!node.isObject()) {
      throw new InvalidInputException("must be an object with body, base64Encoded and properties");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!MEMBERS.contains(name)) {
        throw new InvalidInputException("unknown member '" + name + "'; known members: body, base64Encoded, "
            + "properties");
      }
    }
    JsonNode body = node.get("body");
    if (body == null || !body.isTextual()) {
      throw new InvalidInputException("'body' must be a string");
    }
    JsonNode encoded = node.get("base64Encoded");
    if (encoded != null && !encoded.isBoolean()) {
      throw new InvalidInputException("'base64Encoded' must be true or false");
    }
    byte[] payload;
    if (encoded != null && encoded.booleanValue()) {
      try {
        payload = Base64.getDecoder().decode(body.textValue());
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("'body' is not valid base64: " + e.getMessage());
      }
    } else {
      payload = body.textValue().getBytes(StandardCharsets.UTF_8);
    }
    DeviceMessageHeaders.Collector collector = new DeviceMessageHeaders.Collector();
    JsonNode properties = node.get("properties");
    if (properties != null && !properties.isNull()) {
      if (!properties.isObject()) {
        throw new InvalidInputException("'properties' must be an object of strings");
      }
      for (Iterator<Map.Entry<String, JsonNode>> fields = properties.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!field.getValue().isTextual()) {
          throw new InvalidInputException("property '" + field.getKey() + "' must be a string");
        }
        if (!field.getKey().regionMatches(true, 0, "iothub-", 0, 7)) {
          throw new InvalidInputException("property '" + field.getKey() + "' must be named iothub-app-{name} "
              + "(application property) or iothub-messageid, iothub-correlationid, iothub-userid, "
              + "iothub-contenttype, iothub-contentencoding");
        }
        collector.add(field.getKey(), field.getValue().textValue());
      }
    }
    return new Message(collector.properties(), payload);
  }
}
