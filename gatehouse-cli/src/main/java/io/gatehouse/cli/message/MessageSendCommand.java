package io.gatehouse.cli.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.cli.CliException;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.client.ApiPath;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.IdentityIdConverter;
import io.gatehouse.cli.output.Printer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code gatehouse message send ID PAYLOAD [--property k=v]… [--ttl 10m] [--ack full] …}. */
@Command(name = "send", sortOptions = false,
    description = {
      "Send a cloud-to-device message to the device ID (POST /devices/{id}/messages/devicebound; needs "
          + "messages.send covering the device).",
      "The message waits in the device's inbox (at most 50) until the device receives it or it expires. "
          + "Prints the gateway's answer: the message's sequence number and expiry."
    })
public final class MessageSendCommand extends ApiCommand {
  /** The feedback a sender asks for; lower case because they are the option values. */
  enum Ack { none, positive, negative, full }

  @Parameters(index = "0", paramLabel = "ID", converter = IdentityIdConverter.class, description = "The device id.")
  String id;

  @Parameters(index = "1", paramLabel = "PAYLOAD", description = "The payload, as text (sent as UTF-8).")
  String payload;

  @Option(names = "--property", paramLabel = "NAME=VALUE", converter = PropertyConverter.class,
      description = "An application property (repeatable); NAME alone for a property without a value.")
  List<Map.Entry<String, String>> properties;

  @Option(names = "--ttl", paramLabel = "DURATION", converter = TtlConverter.class,
      description = "How long the message may wait: seconds, or a number with s, m, h or d, e.g. 90s, 10m, "
          + "1h; at most 2d (default: the gateway's, 1h).")
  Duration ttl;

  @Option(names = "--ack", paramLabel = "ACK",
      description = "The feedback to get (gatehouse message feedback): ${COMPLETION-CANDIDATES} (default: none). "
          + "positive: completed; negative: rejected, expired or delivered too often; full: both.")
  Ack ack;

  @Option(names = "--message-id", paramLabel = "ID", description = "The message id (at most 128 characters).")
  String messageId;

  @Option(names = "--correlation-id", paramLabel = "ID", description = "The correlation id.")
  String correlationId;

  @Option(names = "--content-type", paramLabel = "TYPE", description = "The content type, e.g. application/json.")
  String contentType;

  @Option(names = "--content-encoding", paramLabel = "ENCODING", description = "The content encoding, e.g. utf-8.")
  String contentEncoding;

  ObjectNode body() {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("payload", payload);
    if (messageId != null) {
      body.put("messageId", messageId);
    }
    if (correlationId != null) {
      body.put("correlationId", correlationId);
    }
    if (contentType != null) {
      body.put("contentType", contentType);
    }
    if (contentEncoding != null) {
      body.put("contentEncoding", contentEncoding);
    }
    if (properties != null && !properties.isEmpty()) {
      Map<String, String> unique = new LinkedHashMap<>();
      for (Map.Entry<String, String> property : properties) {
        if (unique.containsKey(property.getKey())) {
          throw CliException.usage("--property " + property.getKey() + " is given twice");
        }
        unique.put(property.getKey(), property.getValue());
      }
      ObjectNode application = body.putObject("properties");
      unique.forEach(application::put);
    }
    if (ttl != null) {
      body.put("ttlSeconds", ttl.toSeconds());
    }
    if (ack != null) {
      body.put("ack", ack.name());
    }
    return body;
  }

  @Override
  protected void validate() {
    body();
  }

  @Override
  protected int run(ApiClient client, Printer printer) {
    JsonNode sent = client.post(ApiPath.of("devices", id, "messages", "devicebound"), body()).body();
    printer.printObject(sent);
    return ExitCodes.OK;
  }

  /** {@code NAME=VALUE}, or {@code NAME} for a property without a value. */
  static final class PropertyConverter implements ITypeConverter<Map.Entry<String, String>> {
    @Override
    public Map.Entry<String, String> convert(String text) {
      int eq = text.indexOf('=');
      String name = eq < 0 ? text : text.substring(0, eq);
      if (name.isEmpty()) {
        throw new TypeConversionException("property '" + text + "' has no name; use NAME=VALUE, e.g. priority=high");
      }
      return new java.util.AbstractMap.SimpleImmutableEntry<>(name, eq < 0 ? null : text.substring(eq + 1));
    }
  }

  /** A message lifetime: {@code 90s}, {@code 10m}, {@code 1h}, {@code 2d}, or plain seconds; the gateway checks the maximum. */
  static final class TtlConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
      String trimmed = text.trim();
      if (!trimmed.matches("[0-9]{1,9}[smhd]?")) {
        throw new TypeConversionException("'" + text + "' is not a lifetime; use a number of seconds or a number "
            + "followed by s, m, h or d, e.g. 90s, 10m, 1h");
      }
      char unit = trimmed.charAt(trimmed.length() - 1);
      long amount = Long.parseLong(Character.isDigit(unit) ? trimmed : trimmed.substring(0, trimmed.length() - 1));
      Duration ttl = switch (unit) {
        case 'm' -> Duration.ofMinutes(amount);
        case 'h' -> Duration.ofHours(amount);
        case 'd' -> Duration.ofDays(amount);
        default -> Duration.ofSeconds(amount);
      };
      if (ttl.isZero()) {
        throw new TypeConversionException("a lifetime of zero means the message expires at once");
      }
      return ttl;
    }
  }
}
