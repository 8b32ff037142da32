package io.gatehouse.edge.local.coap;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.gatehouse.edge.local.BindAddresses;
import io.gatehouse.edge.pipeline.ConfigYaml;
import io.gatehouse.edge.pipeline.DurationText;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Binds the {@code coap:} section of the edge's config file (layout in {@link CoapConfig}) with the
 * project's strict YAML settings; every failure is one line starting {@code coap} that names the key.
 */
final class CoapSection {
  static final String ROOT_KEY = "coap";

  /** The section as written; an absent key is null and takes the default. */
  record Keys(
      List<String> bind,
      @JsonProperty("max-payload-bytes") Integer maxPayloadBytes,
      @JsonProperty("command-wait") @JsonDeserialize(using = DurationText.Deserializer.class) Duration commandWait,
      @JsonProperty("command-queue") Integer commandQueue,
      @JsonProperty("ack-timeout") @JsonDeserialize(using = DurationText.Deserializer.class) Duration ackTimeout,
      @JsonProperty("max-retransmit") Integer maxRetransmit,
      @JsonProperty("session-idle") @JsonDeserialize(using = DurationText.Deserializer.class) Duration sessionIdle,
      @JsonProperty("max-sessions") Integer maxSessions,
      @JsonProperty("io-threads") Integer ioThreads) {}

  /** The record's component names as the YAML spells them, to translate {@link CoapConfig}'s checks. */
  private static final Map<String, String> YAML_KEYS = Map.of("maxPayloadBytes", "max-payload-bytes",
      "commandWait", "command-wait", "commandQueue", "command-queue", "ackTimeout", "ack-timeout",
      "maxRetransmit", "max-retransmit", "sessionIdle", "session-idle", "maxSessions", "max-sessions",
      "ioThreads", "io-threads");

  private CoapSection() {}

  static CoapConfig bind(JsonNode section, LeafPsks psks) {
    if (section == null || !section.isObject()) {
      throw new IllegalArgumentException(ROOT_KEY + " config must be a mapping with at least the key 'bind', e.g. "
          + "bind: [\"192.168.1.10:" + CoapConfig.DEFAULT_PORT + "\"]");
    }
    Keys keys = read(section);
    if (keys.bind() == null || keys.bind().isEmpty()) {
      throw new IllegalArgumentException(ROOT_KEY + ": 'bind' is required; list the LAN address(es) leaves reach the "
          + "edge on, e.g. bind: [\"192.168.1.10:" + CoapConfig.DEFAULT_PORT + "\"] (0.0.0.0 listens on every "
          + "interface, including the uplink's, and must be chosen explicitly)");
    }
    List<InetSocketAddress> addresses = keys.bind().stream().map(CoapSection::address).toList();
    try {
      return new CoapConfig(addresses, psks,
          or(keys.maxPayloadBytes(), CoapConfig.DEFAULT_MAX_PAYLOAD_BYTES),
          or(keys.commandWait(), CoapConfig.DEFAULT_COMMAND_WAIT),
          or(keys.commandQueue(), CoapConfig.DEFAULT_COMMAND_QUEUE),
          or(keys.ackTimeout(), CoapConfig.DEFAULT_ACK_TIMEOUT),
          or(keys.maxRetransmit(), CoapConfig.DEFAULT_MAX_RETRANSMIT),
          or(keys.sessionIdle(), CoapConfig.DEFAULT_SESSION_IDLE),
          or(keys.maxSessions(), CoapConfig.DEFAULT_MAX_SESSIONS),
          or(keys.ioThreads(), CoapConfig.DEFAULT_IO_THREADS));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(ROOT_KEY + ": " + inYamlTerms(e.getMessage()), e);
    }
  }

  /** Parses one bind address; the port defaults to 5684. */
  static InetSocketAddress address(String text) {
    return BindAddresses.parseOne(ROOT_KEY, text, CoapConfig.DEFAULT_PORT);
  }

  private static Keys read(JsonNode section) {
    ObjectReader reader = ConfigYaml.strictMapper().readerFor(Keys.class)
        .without(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .with(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
    try {
      return reader.readValue(section);
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(ROOT_KEY + ": unknown key '" + e.getPropertyName() + "'; expected one of: "
          + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")), e);
    } catch (JsonMappingException e) {
      throw new IllegalArgumentException(ROOT_KEY + where(e) + ": " + firstLine(e.getOriginalMessage()), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(ROOT_KEY + " config could not be read: " + firstLine(e.getMessage()), e);
    }
  }

  private static String where(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
      return "";
    }
    StringBuilder where = new StringBuilder(", at ");
    for (JsonMappingException.Reference step : mapping.getPath()) {
      if (step.getIndex() >= 0) {
        where.append('[').append(step.getIndex()).append(']');
      } else if (step.getFieldName() != null) {
        where.append(where.length() > 5 ? "." : "").append(step.getFieldName());
      }
    }
    return where.toString();
  }

  /** "maxPayloadBytes must be …" → "'max-payload-bytes' must be …". */
  private static String inYamlTerms(String message) {
    String text = Objects.toString(message, "invalid value");
    int space = text.indexOf(' ');
    String key = space < 0 ? null : YAML_KEYS.get(text.substring(0, space));
    return key == null ? text : "'" + key + "'" + text.substring(space);
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }

  private static String firstLine(String message) {
    int newline = message == null ? -1 : message.indexOf('\n');
    return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
  }
}
