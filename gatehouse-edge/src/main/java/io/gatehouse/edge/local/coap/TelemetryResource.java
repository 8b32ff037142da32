package io.gatehouse.edge.local.coap;

import io.gatehouse.core.error.LimitExceededException;
import io.gatehouse.edge.local.GuardedSink;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.OptionSet;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /telemetry}: the payload goes to the sink as the authenticated leaf's message, with
 * {@code content-type} from a registered Content-Format. 2.04 Changed is sent only once the sink holds
 * the message durably; if that takes longer than {@code piggybackWindow}, the request is ACKed at once
 * and 2.04 follows as a separate response, so the leaf does not retransmit meanwhile. Refusals: empty
 * payload 4.00, payload over the limit 4.13 (with Size1), sink full 5.03 with Max-Age as the time to
 * retry, other sink failures 5.00. Other methods get 4.05 from {@link CoapResource}.
 */
final class TelemetryResource extends CoapResource {
  /** What a leaf is told to wait before sending again when the edge's buffer is full. */
  static final int RETRY_AFTER_SECONDS = 30;

  private static final Logger log = LoggerFactory.getLogger(TelemetryResource.class);

  private final GuardedSink sink;
  private final int maxPayloadBytes;
  private final StateThread timers;
  private final Duration piggybackWindow;

  TelemetryResource(GuardedSink sink, int maxPayloadBytes, StateThread timers, Duration piggybackWindow) {
    super("telemetry");
    this.sink = sink;
    this.maxPayloadBytes = maxPayloadBytes;
    this.timers = timers;
    this.piggybackWindow = piggybackWindow;
  }

  @Override
  public void handlePOST(CoapExchange exchange) {
    String leafId = LeafIdentity.of(exchange.advanced().getRequest().getSourceContext()).orElseThrow();
    byte[] payload = exchange.getRequestPayload();
    if (payload == null || payload.length == 0) {
      exchange.respond(ResponseCode.BAD_REQUEST, "empty payload: POST the reading as the request body");
      return;
    }
    if (payload.length > maxPayloadBytes) {
      Response tooLarge = new Response(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
      tooLarge.getOptions().setSize1(maxPayloadBytes);
      tooLarge.setPayload("payload of " + payload.length + " bytes exceeds the limit of " + maxPayloadBytes);
      exchange.respond(tooLarge);
      return;
    }
    CompletableFuture<Void> stored = sink.accept(leafId, payload, properties(exchange.getRequestOptions()));
    if (!stored.isDone()) {
      acknowledgeIfSlow(exchange, stored);
    }
    stored.whenComplete((ok, failure) -> answer(exchange, leafId, failure));
  }

  /** The request's ACK goes out on its own if the sink is not done within the piggyback window. */
  private void acknowledgeIfSlow(CoapExchange exchange, CompletableFuture<Void> stored) {
    try {
      ScheduledFuture<?> acknowledge = timers.schedule(exchange::accept, piggybackWindow);
      stored.whenComplete((ok, failure) -> acknowledge.cancel(false));
    } catch (RejectedExecutionException closing) {
      exchange.accept();
    }
  }

  private void answer(CoapExchange exchange, String leafId, Throwable failure) {
    try {
      exchange.respond(failure == null ? new Response(ResponseCode.CHANGED) : refusal(leafId, failure));
    } catch (RuntimeException e) {
      log.debug("answer to a leaf's telemetry not sent leaf={} error=\"{}\"", leafId, e.toString());
    }
  }

  private static Response refusal(String leafId, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    log.warn("leaf message not stored leaf={} error=\"{}\"", leafId, cause.toString());
    if (cause instanceof LimitExceededException) {
      Response busy = new Response(ResponseCode.SERVICE_UNAVAILABLE);
      busy.getOptions().setMaxAge(RETRY_AFTER_SECONDS);
      busy.setPayload("the edge's buffer is full; send again in " + RETRY_AFTER_SECONDS + " s");
      return busy;
    }
    Response error = new Response(ResponseCode.INTERNAL_SERVER_ERROR);
    error.setPayload("the edge could not store the message; send it again later");
    return error;
  }

  /** {@code content-type} for a registered Content-Format; an unregistered number is left out. */
  static Map<String, String> properties(OptionSet options) {
    int format = options.getContentFormat();
    if (format != MediaTypeRegistry.UNDEFINED && MediaTypeRegistry.isKnown(format)) {
      return Map.of("content-type", MediaTypeRegistry.toString(format));
    }
    return Map.of();
  }
}
