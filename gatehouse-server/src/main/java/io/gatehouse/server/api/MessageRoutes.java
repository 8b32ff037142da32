package io.gatehouse.server.api;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.message.AckMode;
import io.gatehouse.core.message.Feedback;
import io.gatehouse.core.message.InboxMessage;
import io.gatehouse.core.message.MessageProperties;
import io.gatehouse.server.auth.Caller;
import io.gatehouse.server.http.ApiRequest;
import io.gatehouse.server.http.ApiResponse;
import io.gatehouse.server.http.Router;
import io.gatehouse.server.inbox.InboxService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Cloud-to-device messages, service side: send to a device's inbox (needs {@code messages.send}
 * covering the device) and read the feedback on what the caller sent. Thin: decode, ask the inbox
 * service (which authorizes and audits), encode.
 */
public final class MessageRoutes {
  public static final int MAX_FEEDBACK_LIMIT = 1000;

  record SendBody(String payload, String payloadBase64, String messageId, String correlationId, String contentType,
      String contentEncoding, Map<String, String> properties, Long ttlSeconds, String ack) {
    byte[] payloadBytes() {
      if (payload != null && payloadBase64 != null) {
        throw new InvalidInputException("give payload (text) or payloadBase64 (bytes), not both");
      }
      if (payloadBase64 != null) {
        try {
          return Base64.getDecoder().decode(payloadBase64);
        } catch (IllegalArgumentException e) {
          throw new InvalidInputException("payloadBase64 is not valid base64: " + e.getMessage());
        }
      }
      return payload == null ? new byte[0] : payload.getBytes(StandardCharsets.UTF_8);
    }

    MessageProperties messageProperties() {
      if (properties != null) {
        properties.keySet().forEach(name -> {
          if (name.isEmpty()) {
            throw new InvalidInputException("a property name must not be empty");
          }
        });
      }
      return new MessageProperties(messageId, correlationId, null, contentType, contentEncoding, properties);
    }

    Duration ttl() {
      if (ttlSeconds == null) {
        return null;
      }
      if (ttlSeconds < 1) {
        throw new InvalidInputException("ttlSeconds must be 1 or more");
      }
      return Duration.ofSeconds(ttlSeconds);
    }
  }

  record SentView(String deviceId, long sequence, String messageId, Instant enqueuedAt, Instant expiresAt) {
    static SentView of(InboxMessage m) {
      return new SentView(m.deviceId(), m.sequence(), m.properties().messageId(), m.enqueuedAt(), m.expiresAt());
    }
  }

  record FeedbackView(long sequence, String originalMessageId, long originalSequence, String deviceId,
      Instant enqueuedTimeUtc, String statusCode, String description) {
    static FeedbackView of(Feedback f) {
      return new FeedbackView(f.sequence(), f.originalMessageId(), f.originalSequence(), f.deviceId(), f.enqueuedAt(),
          f.status().wireName(), f.description());
    }
  }

  record FeedbackPage(List<FeedbackView> items, Long next) {}

  private final InboxService inbox;
  private final ApiSupport api;

  public MessageRoutes(InboxService inbox, ApiSupport api) {
    this.inbox = inbox;
    this.api = api;
  }

  public void register(Router router) {
    router.add("POST", "/devices/{id}/messages/devicebound", api.secured(this::send))
        .add("GET", "/messages/feedback", api.secured(this::feedback));
  }

  private ApiResponse send(ApiRequest request, Caller caller) {
    SendBody body = api.body(request, SendBody.class);
    byte[] payload = body.payloadBytes();
    MessageProperties properties = body.messageProperties();
    Duration ttl = body.ttl();
    AckMode ack = body.ack() == null ? AckMode.NONE : AckMode.fromWire(body.ack());
    InboxMessage sent = inbox.send(caller, request.pathParameter("id"), properties, payload, ttl, ack);
    return api.created(SentView.of(sent));
  }

  private ApiResponse feedback(ApiRequest request, Caller caller) {
    long from = request.queryParameter("from").map(v -> Queries.sequence("from", v)).orElse(1L);
    int limit = request.intQueryParameter("limit", 100);
    if (limit < 1 || limit > MAX_FEEDBACK_LIMIT) {
      throw new InvalidInputException("limit must be 1 to " + MAX_FEEDBACK_LIMIT);
    }
    List<Feedback> records = inbox.feedback(caller, from, limit);
    Long next = records.size() == limit ? records.get(records.size() - 1).sequence() + 1 : null;
    return api.ok(new FeedbackPage(records.stream().map(FeedbackView::of).toList(), next));
  }
}
