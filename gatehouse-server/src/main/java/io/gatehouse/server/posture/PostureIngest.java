package io.gatehouse.server.posture;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.server.device.AuthenticatedDevice;
import io.gatehouse.server.device.DeviceForbiddenException;
import io.gatehouse.store.EdgePosture;
import io.gatehouse.store.EdgePostureStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Accepts a field gateway's posture report (what it runs, since when, which LAN listeners it has
 * open, how its buffer is doing) and keeps it as the edge's latest. Only identities of kind edge
 * report. The report must be a JSON object of at most {@link #MAX_BYTES} with at least
 * {@code version} (string), {@code uptimeSeconds} (number) and {@code listeners} (array);
 * everything else in it is kept as sent. Never blocks, so MQTT can call it on its event loop
 * (parsing 16 KiB of JSON takes microseconds); the future completes once the report is committed,
 * which is when to acknowledge it.
 */
public final class PostureIngest {
  public static final int MAX_BYTES = 16 * 1024;

  private final EdgePostureStore store;
  private final Clock clock;
  private final ObjectMapper json = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  public PostureIngest(EdgePostureStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
  }

  /**
   * @param source the address the report came from
   * @throws DeviceForbiddenException if {@code sender} is not a field gateway
   * @throws InvalidInputException if the report is too large or not the JSON object described above;
   *     the message says which
   */
  public CompletableFuture<EdgePosture> report(AuthenticatedDevice sender, byte[] report, String source)
      throws DeviceForbiddenException {
    if (sender.device().kind() != IdentityKind.EDGE) {
      throw new DeviceForbiddenException("device '" + sender.id() + "' may not report a posture; only field "
          + "gateways (kind edge) do");
    }
    requireWellFormed(report);
    return store.save(new EdgePosture(sender.id(), clock.instant(), new String(report, StandardCharsets.UTF_8),
        source));
  }

  private void requireWellFormed(byte[] report) {
    if (report.length > MAX_BYTES) {
      throw new InvalidInputException("posture report is " + report.length + " bytes; at most " + MAX_BYTES
          + " are accepted");
    }
    JsonNode root;
    try {
      root = json.readTree(report);
    } catch (IOException e) {
      throw new InvalidInputException("posture report is not valid UTF-8 JSON: " + originalMessage(e));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidInputException("posture report must be a JSON object, not "
          + (root == null || root.isMissingNode() ? "nothing" : kind(root)));
    }
    require(root, "version", root.path("version").isTextual(), "a string");
    require(root, "uptimeSeconds", root.path("uptimeSeconds").isNumber(), "a number");
    require(root, "listeners", root.path("listeners").isArray(), "an array");
  }

  private static void require(JsonNode root, String field, boolean fits, String what) {
    if (!fits) {
      throw new InvalidInputException("posture report needs '" + field + "' as " + what
          + (root.has(field) ? ", not " + kind(root.get(field)) : "; it is missing"));
    }
  }

  private static String kind(JsonNode node) {
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static String originalMessage(IOException e) {
    return e instanceof JsonProcessingException processing
        ? processing.getOriginalMessage() : e.getMessage();
  }
}
