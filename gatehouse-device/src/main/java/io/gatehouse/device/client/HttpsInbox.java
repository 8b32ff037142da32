package io.gatehouse.device.client;

import io.gatehouse.core.sas.PercentCodec;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls the device's inbox over HTTPS: {@code GET /devices/{id}/messages/deviceBound} locks the next
 * message (200 with its {@code ETag}, or 204 when the inbox is empty); after the callback returns
 * the message is completed ({@code DELETE …/{etag}}), and if the callback throws it is abandoned
 * ({@code POST …/{etag}/abandon}) so the gateway delivers it again with a higher delivery count.
 * The inbox is drained message by message, then polled again after the interval. A refusal or a
 * network failure is logged (status and detail, never the token) and the next poll tries again.
 */
final class HttpsInbox {
  private static final Logger LOG = LoggerFactory.getLogger(HttpsInbox.class);
  private static final String PATH = "/messages/deviceBound";

  private final String deviceId;
  private final HttpsRequests requests;
  private final Duration interval;
  private final Consumer<InboxMessage> onMessage;
  private final ScheduledExecutorService poller;
  private volatile boolean closed;

  HttpsInbox(String deviceId, HttpsRequests requests, Duration interval, Consumer<InboxMessage> onMessage) {
    this.deviceId = deviceId;
    this.requests = requests;
    this.interval = interval;
    this.onMessage = onMessage;
    // The callback may block (the application's own work), and polls are blocking requests: a thread of their own.
    this.poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
        .name("gatehouse-inbox-https-" + deviceId).factory());
  }

  void start() {
    poller.scheduleWithFixedDelay(this::drain, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void drain() {
    try {
      while (!closed && receiveOne()) {
        // next message at once: a backlog drains without waiting an interval per message
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | DeviceClientException e) {
      LOG.warn("event=inbox_poll_failed deviceId={} retryInMillis={} error={}", deviceId, interval.toMillis(),
          e.getMessage());
    } catch (RuntimeException e) {
      // never let an unexpected failure end the schedule
      LOG.warn("event=inbox_poll_failed deviceId={} error={}", deviceId, e.toString());
    }
  }

  /** @return whether a message was received (and settled), so the caller asks for the next one */
  private boolean receiveOne() throws IOException, InterruptedException {
    HttpResponse<byte[]> response = requests.client().send(requests.request(PATH).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() == 204) {
      return false;
    }
    if (response.statusCode() != 200) {
      throw requests.refusal("an inbox poll", response);
    }
    String etag = response.headers().firstValue("ETag").map(HttpsInbox::unquote)
        .orElseThrow(() -> new DeviceClientException("the gateway sent an inbox message without an ETag, so it "
            + "cannot be completed; is this an IoT Hub device API?", 200, null));
    var properties = HttpsHeaders.fromHeaders(response.headers());
    InboxMessage message = new InboxMessage(properties.getOrDefault("$.to", "/devices/" + deviceId + PATH),
        response.body(), properties);
    String lock = PATH + "/" + PercentCodec.encode(etag);
    try {
      onMessage.accept(message);
    } catch (RuntimeException e) {
      LOG.warn("event=inbox_callback_failed deviceId={} messageId={} outcome=abandon error={}", deviceId,
          properties.get("$.mid"), e.toString());
      settle("abandoning an inbox message", requests.request(lock + "/abandon")
          .POST(HttpRequest.BodyPublishers.noBody()).build());
      return true;
    }
    settle("completing an inbox message", requests.request(lock).DELETE().build());
    return true;
  }

  private void settle(String what, HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = requests.client().send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      // The lock expires and the gateway delivers the message again: logged, not fatal.
      throw requests.refusal(what, response);
    }
  }

  private static String unquote(String etag) {
    String trimmed = etag.trim();
    return trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")
        ? trimmed.substring(1, trimmed.length() - 1) : trimmed;
  }

  /** Stops polling; a message being handled is settled first, for at most {@code grace}. */
  void close(Duration grace) {
    closed = true;
    poller.shutdown();
    try {
      if (!poller.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        poller.shutdownNow();
      }
    } catch (InterruptedException e) {
      poller.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
