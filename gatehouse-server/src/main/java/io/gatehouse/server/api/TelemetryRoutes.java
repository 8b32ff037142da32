package io.gatehouse.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.core.message.MessageProperties;
import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.core.sas.SasException;
import io.gatehouse.core.sas.SasToken;
import io.gatehouse.core.sas.SasVerifier;
import io.gatehouse.server.auth.Caller;
import io.gatehouse.server.http.ApiRequest;
import io.gatehouse.server.http.ApiResponse;
import io.gatehouse.server.http.JsonCodec;
import io.gatehouse.server.http.Router;
import io.gatehouse.server.telemetry.TelemetryReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code /telemetry}: the device-to-cloud log for services with {@code telemetry.read} (a scoped
 * grant sees only the devices it covers). Pages, a Server-Sent Events stream, and consumer-group
 * positions. Thin: decode, ask the {@link TelemetryReader}, encode.
 */
public final class TelemetryRoutes {
  /** {@code application} keeps null values: a property without a value is a bare name, not an absent one. */
  record PropertiesView(String messageId, String correlationId, String userId, String contentType,
      String contentEncoding, @JsonInclude(content = JsonInclude.Include.ALWAYS) Map<String, String> application) {
    static PropertiesView of(MessageProperties p) {
      return new PropertiesView(p.messageId(), p.correlationId(), p.userId(), p.contentType(), p.contentEncoding(),
          p.application());
    }
  }

  /** One message: {@code payload} when the bytes are valid UTF-8, else {@code payloadBase64}. */
  record MessageView(long sequence, String deviceId, String gatewayId, Instant enqueuedAt, PropertiesView properties,
      String payload, String payloadBase64) {
    static MessageView of(TelemetryMessage m) {
      String text = utf8(m.payload());
      return new MessageView(m.sequence(), m.deviceId(), m.gatewayId(), m.enqueuedAt(), PropertiesView.of(m.properties()),
          text, text == null ? Base64.getEncoder().encodeToString(m.payload()) : null);
    }
  }

  /** {@code next} is left out once the page reached the end of the log, as for the other paged lists. */
  record MessagePage(List<MessageView> items, Long next) {}

  record GroupView(String name, long next) {}

  record GroupBody(Long next) {}

  private final TelemetryReader reader;
  private final ApiSupport api;
  private final JsonCodec json;
  private final Clock clock;

  public TelemetryRoutes(TelemetryReader reader, ApiSupport api, JsonCodec json, Clock clock) {
    this.reader = reader;
    this.api = api;
    this.json = json;
    this.clock = clock;
  }

  public void register(Router router) {
    router.add("GET", "/telemetry", api.secured(this::read))
        .add("GET", "/telemetry/stream", api.secured(this::stream))
        .add("GET", "/telemetry/consumer-groups/{name}", api.secured(this::group))
        .add("PUT", "/telemetry/consumer-groups/{name}", api.secured(this::commit));
  }

  private ApiResponse read(ApiRequest request, Caller caller) {
    int limit = request.intQueryParameter("limit", 100);
    Optional<Long> from = request.queryParameter("from").map(v -> Queries.sequence("from", v));
    Optional<Instant> fromTime = request.queryParameter("fromTime").map(v -> Queries.time("fromTime", v));
    if (from.isPresent() && fromTime.isPresent()) {
      throw new InvalidInputException("give from or fromTime, not both");
    }
    TelemetryReader.Scope scope = reader.scope(caller, request.queryParameter("device").orElse(null));
    long start = from.orElseGet(() -> fromTime.map(reader::sequenceAt).orElse(1L));
    TelemetryReader.Page page = reader.read(scope, start, limit);
    return api.ok(new MessagePage(page.items().stream().map(MessageView::of).toList(),
        page.more() ? page.next() : null));
  }

  /**
   * Where to start: after {@code Last-Event-ID} when the client resumes; else {@code from},
   * {@code fromTime} or the consumer group's committed position (at most one of them); else, and
   * for a group that never committed, at the end of the log (new messages only).
   */
  private ApiResponse stream(ApiRequest request, Caller caller) {
    Optional<Long> from = request.queryParameter("from").map(v -> Queries.sequence("from", v));
    Optional<Instant> fromTime = request.queryParameter("fromTime").map(v -> Queries.time("fromTime", v));
    Optional<String> group = request.queryParameter("consumerGroup");
    if (Stream.of(from, fromTime, group).filter(Optional::isPresent).count() > 1) {
      throw new InvalidInputException("give at most one of from, fromTime and consumerGroup");
    }
    Optional<Long> resume = request.header("Last-Event-ID").filter(v -> !v.isBlank())
        .map(v -> Queries.sequence("Last-Event-ID", v) + 1);
    String device = request.queryParameter("device").orElse(null);
    TelemetryReader.Scope scope = reader.scope(caller, device);
    Optional<Long> committed = group.isPresent() ? reader.committed(caller, group.get()) : Optional.empty();
    long start = resume.or(() -> from).or(() -> fromTime.map(reader::sequenceAt)).or(() -> committed)
        .orElseGet(reader::end);
    return ApiResponse.eventStream(new TelemetryStream(reader, scope, start, credentialExpiry(request), clock,
        () -> rescope(request, device), m -> json.write(MessageView.of(m))));
  }

  private ApiResponse group(ApiRequest request, Caller caller) {
    String name = request.pathParameter("name");
    long next = reader.committed(caller, name)
        .orElseThrow(() -> new NotFoundException("consumer group '" + name + "' has not committed a position"));
    return api.ok(new GroupView(name, next));
  }

  private ApiResponse commit(ApiRequest request, Caller caller) {
    String name = request.pathParameter("name");
    GroupBody body = api.body(request, GroupBody.class);
    if (body.next() == null) {
      throw new InvalidInputException("next is missing: the sequence the group reads next");
    }
    reader.commit(caller, name, body.next());
    return api.ok(new GroupView(name, body.next()));
  }

  /**
   * The caller authenticated again with the request's credential, and its scope judged again: a
   * stream ends when its identity is disabled, deleted or rekeyed, or loses the permission.
   */
  private TelemetryReader.Scope rescope(ApiRequest request, String device) throws Exception {
    TelemetryReader.Scope[] scope = new TelemetryReader.Scope[1];
    api.secured((r, caller) -> {
      scope[0] = reader.scope(caller, device);
      return ApiResponse.noContent();
    }).handle(request);
    return scope[0];
  }

  /** When the request's SAS token stops being accepted; a stream ends then, quietly, for the client to reconnect. */
  private Instant credentialExpiry(ApiRequest request) {
    try {
      long expiry = SasToken.parse(request.header("Authorization").orElse("")).expiry();
      return Instant.ofEpochSecond(expiry).plus(SasVerifier.DEFAULT_CLOCK_SKEW);
    } catch (SasException | RuntimeException e) {
      return clock.instant(); // unreachable once authenticated; if it were, the stream would end at once
    }
  }

  /** The text of {@code bytes} if they are valid UTF-8, else {@code null}. */
  static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
