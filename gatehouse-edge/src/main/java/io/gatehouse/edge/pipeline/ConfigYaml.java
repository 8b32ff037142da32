package io.gatehouse.edge.pipeline;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads a list of config records from YAML strictly (unknown properties, duplicate keys and nulls for
 * numbers are errors) and turns Jackson's failures into one line that says where and what is wrong,
 * e.g. {@code pipeline, item 4 (window): window: 'seconds' is -5; it must be between 1 and 86400}.
 */
public final class ConfigYaml {
  private ConfigYaml() {}

  /** A mapper with the strict settings config records rely on; for loaders that read a larger file. */
  public static ObjectMapper strictMapper() {
    return YAMLMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .build();
  }

  /**
   * Reads {@code yaml} that is either a list of items or a mapping with the single key {@code rootKey}
   * holding that list. Throws {@link IllegalArgumentException} with a message for the person editing it.
   */
  public static <T> List<T> readList(String yaml, String rootKey, Class<T> itemType) {
    ObjectMapper mapper = strictMapper();
    JsonNode root;
    try {
      root = mapper.readTree(yaml == null ? "" : yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(rootKey + " config is not valid YAML" + lineOf(e) + ": " + reason(e));
    }
    JsonNode list = root != null && root.isObject() && root.size() == 1 && root.has(rootKey) ? root.get(rootKey) : root;
    return readList(list, rootKey, itemType);
  }

  /**
   * Binds an already parsed list, e.g. the {@code pipeline} node of a larger config file read with
   * {@link #strictMapper()}; {@code rootKey} only names it in messages.
   */
  public static <T> List<T> readList(JsonNode list, String rootKey, Class<T> itemType) {
    ObjectMapper mapper = strictMapper();
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException(rootKey + " config must be a list, either the whole document or under the single key '"
          + rootKey + ":'");
    }
    JavaType listType = mapper.getTypeFactory().constructCollectionType(List.class, itemType);
    try {
      List<T> items = mapper.readerFor(listType).readValue(mapper.treeAsTokens(list));
      return List.copyOf(items);
    } catch (JsonMappingException e) {
      String reason = e instanceof ValueInstantiationException refused
          ? unknownProperty(mapper, refused.getType(), nodeAt(list, e)).orElseGet(() -> reason(e))
          : reason(e);
      throw new IllegalArgumentException(where(rootKey, list, e) + ": " + reason, e);
    } catch (IOException e) {
      throw new IllegalArgumentException(rootKey + " config could not be read: " + firstLine(e.getMessage()), e);
    }
  }

  /**
   * Binds one mapping, e.g. the {@code uplink} section of the edge config; {@code key} names it in
   * messages ({@code uplink, at port: …}).
   */
  public static <T> T readObject(JsonNode node, String key, Class<T> type) {
    ObjectMapper mapper = strictMapper();
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(key + " config must be a mapping of settings (key: value lines)");
    }
    try {
      return mapper.readerFor(type).readValue(mapper.treeAsTokens(node));
    } catch (JsonMappingException e) {
      String reason = e instanceof ValueInstantiationException refused
          ? unknownProperty(mapper, refused.getType(), nodeAt(node, e)).orElseGet(() -> reason(e))
          : reason(e);
      StringBuilder where = new StringBuilder(key);
      String separator = ", at ";
      for (JsonMappingException.Reference step : e.getPath()) {
        where.append(step.getIndex() >= 0 ? separator + "[" + step.getIndex() + "]" : separator + step.getFieldName());
        separator = ".";
      }
      throw new IllegalArgumentException(where + ": " + reason, e);
    } catch (IOException e) {
      throw new IllegalArgumentException(key + " config could not be read: " + firstLine(e.getMessage()), e);
    }
  }

  /** {@code pipeline, item 2 (transform), at scale.pressure} from Jackson's path into the tree. */
  private static String where(String rootKey, JsonNode list, JsonMappingException e) {
    StringBuilder where = new StringBuilder(rootKey);
    JsonNode node = list;
    String separator = ", at ";
    for (JsonMappingException.Reference step : e.getPath()) {
      if (step.getIndex() >= 0) {
        node = node == null ? null : node.get(step.getIndex());
        if (where.length() == rootKey.length()) {
          where.append(", item ").append(step.getIndex() + 1).append(label(node));
          continue;
        }
        where.append('[').append(step.getIndex()).append(']');
      } else if (step.getFieldName() != null) {
        node = node == null ? null : node.get(step.getFieldName());
        where.append(separator).append(step.getFieldName());
        separator = ".";
      }
    }
    return where.toString();
  }

  /**
   * Jackson builds a record before it reports unknown properties, so a misspelt property shows up as
   * a missing one. The misspelling is the real cause, so look for it first.
   */
  private static Optional<String> unknownProperty(ObjectMapper mapper, JavaType type, JsonNode node) {
    if (type == null || node == null || !node.isObject()) {
      return Optional.empty();
    }
    Set<String> known = new TreeSet<>();
    mapper.getDeserializationConfig().introspect(type).findProperties().forEach(property -> known.add(property.getName()));
    Set<String> typeIds = new TreeSet<>();
    for (Class<?> supertype : type.getRawClass().getInterfaces()) {
      JsonTypeInfo typeInfo = supertype.getAnnotation(JsonTypeInfo.class);
      if (typeInfo != null) {
        typeIds.add(typeInfo.property());
      }
    }
    for (String name : (Iterable<String>) node::fieldNames) {
      if (!known.contains(name) && !typeIds.contains(name)) {
        return Optional.of("unknown property '" + name + "'; expected one of: " + String.join(", ", known));
      }
    }
    return Optional.empty();
  }

  private static JsonNode nodeAt(JsonNode list, JsonMappingException e) {
    JsonNode node = list;
    for (JsonMappingException.Reference step : e.getPath()) {
      if (node == null) {
        return null;
      }
      node = step.getIndex() >= 0 ? node.get(step.getIndex()) : step.getFieldName() != null ? node.get(step.getFieldName()) : node;
    }
    return node;
  }

  /** The item's {@code type}, or else {@code name}, so the reader finds it without counting. */
  private static String label(JsonNode item) {
    for (String key : List.of("type", "name")) {
      if (item != null && item.path(key).isTextual()) {
        return " (" + item.get(key).asText() + ")";
      }
    }
    return "";
  }

  private static String reason(JsonProcessingException e) {
    return switch (e) {
      case UnrecognizedPropertyException unknown -> "unknown property '" + unknown.getPropertyName() + "'; expected one of: "
          + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
      case InvalidTypeIdException badType -> (badType.getTypeId() == null ? "'type' is missing" : "unknown type '" + badType.getTypeId() + "'")
          + "; expected one of: " + typeNames(badType.getBaseType());
      default -> ownMessage(e).orElseGet(() -> firstLine(e.getOriginalMessage()));
    };
  }

  /** A record or creator that refused a value says best what is wrong. */
  private static Optional<String> ownMessage(Throwable e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (!(cause instanceof JsonProcessingException) && cause.getMessage() != null) {
        return Optional.of(cause.getMessage());
      }
    }
    return Optional.empty();
  }

  private static String typeNames(JavaType baseType) {
    JsonSubTypes subTypes = baseType == null ? null : baseType.getRawClass().getAnnotation(JsonSubTypes.class);
    return subTypes == null ? "(none declared)"
        : Arrays.stream(subTypes.value()).map(JsonSubTypes.Type::name).collect(Collectors.joining(", "));
  }

  private static String lineOf(JsonProcessingException e) {
    return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  private static String firstLine(String message) {
    int newline = message == null ? -1 : message.indexOf('\n');
    return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
  }
}
