package io.gatehouse.edge.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.gatehouse.core.error.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a leaf's flat JSON object and writes readings back out. Parsing streams token by token so
 * the field limit is enforced before more input is accumulated.
 */
final class ReadingJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  /** Doubles up to 2^53 are exact integers; writing them without ".0" keeps counts and ids readable. */
  private static final double EXACT_INTEGER_LIMIT = 9.007199254740992E15;

  private ReadingJson() {}

  static Map<String, Object> parseFields(byte[] payload) {
    if (payload.length > Reading.MAX_PAYLOAD_BYTES) {
      throw new InvalidInputException("the payload is " + payload.length + " bytes; at most "
          + Reading.MAX_PAYLOAD_BYTES + " are accepted from a leaf");
    }
    try (JsonParser parser = FACTORY.createParser(payload)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidInputException("the payload must be one JSON object such as {\"temperature\":21.5}");
      }
      Map<String, Object> fields = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        if (fields.size() == Reading.MAX_FIELDS) {
          throw new InvalidInputException("the payload has more than " + Reading.MAX_FIELDS + " fields");
        }
        if (fields.containsKey(name)) {
          throw new InvalidInputException("field '" + name + "' appears twice in the payload; send each field once");
        }
        fields.put(Reading.requireValidFieldName(name), readValue(parser, name));
      }
      if (parser.nextToken() != null) {
        throw new InvalidInputException("the payload has content after its JSON object; send exactly one object");
      }
      return fields;
    } catch (IOException e) {
      throw new InvalidInputException("the payload is not valid JSON: " + firstLine(e.getMessage()), e);
    }
  }

  private static Object readValue(JsonParser parser, String name) throws IOException {
    JsonToken token = parser.nextToken();
    return switch (token) {
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_STRING -> parser.getText();
      case START_OBJECT, START_ARRAY -> throw new InvalidInputException("field '" + name + "' holds a nested "
          + (token == JsonToken.START_OBJECT ? "object" : "array")
          + "; only numbers, booleans and strings are accepted, so flatten it (e.g. '" + name + "_x')");
      case VALUE_NULL -> throw new InvalidInputException("field '" + name + "' is null; send a value or leave the field out");
      default -> throw new InvalidInputException("field '" + name + "' has an unexpected JSON token " + token);
    };
  }

  static byte[] renderFields(Map<String, Object> fields) {
    return render(generator -> {
      generator.writeStartObject();
      writeFields(generator, fields);
      generator.writeEndObject();
    });
  }

  /** Writes each field as a JSON member; the caller owns the surrounding object. */
  static void writeFields(JsonGenerator generator, Map<String, Object> fields) throws IOException {
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      generator.writeFieldName(field.getKey());
      switch (field.getValue()) {
        case Double d when d == Math.rint(d) && Math.abs(d) < EXACT_INTEGER_LIMIT -> generator.writeNumber(d.longValue());
        case Double d -> generator.writeNumber(d);
        case Boolean b -> generator.writeBoolean(b);
        case String s -> generator.writeString(s);
        default -> throw new IllegalStateException("a reading holds a " + field.getValue().getClass());
      }
    }
  }

  interface Writer {
    void write(JsonGenerator generator) throws IOException;
  }

  static byte[] render(Writer writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator generator = FACTORY.createGenerator(out)) {
      writer.write(generator);
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory failed", e);
    }
    return out.toByteArray();
  }

  private static String firstLine(String message) {
    int newline = message == null ? -1 : message.indexOf('\n');
    return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
  }
}
