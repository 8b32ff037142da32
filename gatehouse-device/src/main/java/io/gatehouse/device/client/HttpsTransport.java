package io.gatehouse.device.client;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The HTTPS transport (azure-iot-facts §3): each message is one
 * {@code POST /devices/{id}/messages/events} with its properties as {@code iothub-*} headers, and
 * {@link #send} completes on the gateway's 204 (the message is durable). There is no session to
 * lose: the token is renewed per request once it reaches 85 % of its lifetime, and a request that
 * fails on the network fails its send (the application decides whether to send again).
 *
 * <p>At most {@link #PARALLEL} requests run at once (HTTP/1.1 carries one request per connection,
 * so this is also the number of TLS connections a device holds); up to {@code maxHeld} more wait
 * their turn, beyond which a send fails at once instead of growing the heap.
 */
final class HttpsTransport implements DeviceTransport {
  static final int PARALLEL = 4;

  private record Pending(byte[] payload, Map<String, String> headers, CompletableFuture<Void> result) {}

  private final DeviceClient.Options options;
  private final HttpsRequests requests;
  private final HttpsInbox inbox;
  private final Queue<Pending> waiting = new ArrayDeque<>();
  private int running;
  private long heldTotal;
  private volatile boolean closed;

  private HttpsTransport(DeviceIdentity identity, DeviceClient.Options options, Consumer<InboxMessage> onMessage) {
    this.options = options;
    this.requests = new HttpsRequests(identity, options);
    this.inbox = onMessage == null ? null
        : new HttpsInbox(identity.deviceId(), requests, options.pollInterval(), onMessage);
  }

  /** Signs the first token (a TPM that does not answer fails here, not on the first send) and starts polling. */
  static HttpsTransport start(DeviceIdentity identity, DeviceClient.Options options, Consumer<InboxMessage> onMessage) {
    HttpsTransport transport = new HttpsTransport(identity, options, onMessage);
    transport.requests.token();
    if (transport.inbox != null) {
      transport.inbox.start();
    }
    return transport;
  }

  @Override
  public CompletableFuture<Void> send(byte[] payload, Map<String, String> properties) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("the device client is closed"));
    }
    Map<String, String> headers;
    try {
      headers = HttpsHeaders.toHeaders(properties);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    Pending pending = new Pending(payload.clone(), headers, new CompletableFuture<>());
    synchronized (this) {
      if (running >= PARALLEL) {
        if (waiting.size() >= options.maxHeld()) {
          return CompletableFuture.failedFuture(new RejectedExecutionException("the device client already has "
              + options.maxHeld() + " messages waiting for the gateway; retry once some are acknowledged"));
        }
        waiting.add(pending);
        heldTotal++;
        return pending.result();
      }
      running++;
    }
    post(pending);
    return pending.result();
  }

  /**
   * Sends {@code pending}; when its answer comes, the next waiting one. If the request cannot even be
   * built (the token cannot be signed), it and every send waiting behind it fail with that error at
   * once: the next ones would only ask the same TPM again, one after another.
   */
  private void post(Pending pending) {
    HttpRequest request;
    try {
      // the token is taken when the request leaves, not when it was queued: it is never stale
      HttpRequest.Builder builder = requests.request("/messages/events")
          .POST(HttpRequest.BodyPublishers.ofByteArray(pending.payload()))
          .header("Content-Type", "application/octet-stream");
      pending.headers().forEach(builder::header);
      request = builder.build();
    } catch (RuntimeException e) {
      List<Pending> failed = new ArrayList<>();
      failed.add(pending);
      synchronized (this) {
        failed.addAll(waiting);
        waiting.clear();
        running--;
      }
      failed.forEach(p -> p.result().completeExceptionally(e));
      return;
    }
    requests.client().sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
      if (failure != null) {
        pending.result().completeExceptionally(requests.unreachable("sending telemetry", failure));
      } else if (response.statusCode() / 100 == 2) {
        pending.result().complete(null);
      } else {
        pending.result().completeExceptionally(requests.refusal("telemetry", response));
      }
      Pending next;
      synchronized (this) {
        next = closed ? null : waiting.poll();
        if (next == null) {
          running--;
        }
      }
      if (next != null) {
        post(next); // on the HTTP client's thread, after this answer: no recursion on one stack
      }
    });
  }

  @Override
  public int sessions() {
    return requests.tokensSigned();
  }

  @Override
  public synchronized long held() {
    return heldTotal;
  }

  @Override
  public int reconnects() {
    return 0;
  }

  @Override
  public boolean connected() {
    return !closed;
  }

  /** Stops polling (a callback under way finishes and settles its message first) and fails the sends still waiting. */
  @Override
  public void close() {
    closed = true;
    if (inbox != null) {
      inbox.close(options.timeout());
    }
    List<Pending> dropped;
    synchronized (this) {
      dropped = new ArrayList<>(waiting);
      waiting.clear();
    }
    IllegalStateException reason = new IllegalStateException("the device client was closed before the message "
        + "could be sent");
    dropped.forEach(p -> p.result().completeExceptionally(reason));
    // requests already sent run to completion; then the client's selector thread ends
    requests.client().shutdown();
  }
}
