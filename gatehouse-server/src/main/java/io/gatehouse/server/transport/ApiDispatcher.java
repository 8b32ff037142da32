package io.gatehouse.server.transport;

import io.gatehouse.server.http.ApiHandler;
import io.gatehouse.server.http.ApiRequest;
import io.gatehouse.server.http.ApiResponse;
import io.gatehouse.server.http.JsonCodec;
import io.gatehouse.server.http.ProblemException;
import io.gatehouse.server.http.Problems;
import io.gatehouse.server.http.Router;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one connection's requests strictly in order: routes each complete request, runs its
 * handler on a virtual thread, writes the answer, and only then takes the next. While a request is
 * being answered the connection stops reading; requests that were already decoded (pipelining)
 * wait in a short queue. It is the connection's only writer of responses, refusals included.
 *
 * <p>A handler may answer with an event stream ({@link ApiResponse#streaming()}): then the head is
 * written, the handler permit released, and the stream's producer runs on its own thread
 * ({@link EventStreams}). The connection takes no further request: it reads on only to notice the
 * client going away, discards what arrives, stays exempt from the request deadline (no
 * {@link ConnectionEvent#AWAITING_REQUEST}), and closes when the stream ends.
 * One instance per connection; all its state is touched on the connection's event loop only.
 */
final class ApiDispatcher extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ApiDispatcher.class);

  private record Exchange(String requestId, String method, String path, HttpVersion version, boolean keepAlive) {}

  private final Router router;
  private final JsonCodec json;
  private final HandlerPool pool;
  private final EventStreams streams;
  private final Rejections rejections;
  private final int maxPipelined;
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private final PeerCertificates peerCertificates = new PeerCertificates();
  private boolean busy;
  private boolean closing;
  private long sequence;
  private EventStreams.Stream stream;

  ApiDispatcher(Router router, JsonCodec json, HandlerPool pool, EventStreams streams, Rejections rejections,
      int maxPipelined) {
    this.router = router;
    this.json = json;
    this.pool = pool;
    this.streams = streams;
    this.rejections = rejections;
    this.maxPipelined = maxPipelined;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest) && !(msg instanceof Refusal)) {
      ctx.fireChannelRead(msg);
    } else if (closing) {
      ReferenceCountUtil.release(msg);
    } else if (!busy) {
      start(ctx, msg);
    } else if (queue.size() < maxPipelined) {
      queue.add(msg);
    } else {
      ReferenceCountUtil.release(msg);
      closing = true;
      releaseQueue();
      rejections.report(ctx.channel().remoteAddress(), 429, "more than " + maxPipelined + " pipelined requests");
      ctx.channel().close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closing = true;
    releaseQueue();
    if (stream != null) {
      stream.end();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (stream != null) {
      stream.writabilityChanged();
    }
    super.channelWritabilityChanged(ctx);
  }

  private void start(ChannelHandlerContext ctx, Object msg) {
    busy = true;
    ctx.channel().config().setAutoRead(false);
    ctx.pipeline().fireUserEventTriggered(ConnectionEvent.REQUEST_RECEIVED);
    if (msg instanceof Refusal refusal) {
      refuse(ctx, refusal);
      return;
    }
    FullHttpRequest request = (FullHttpRequest) msg;
    String requestId = ctx.channel().id().asShortText() + "-" + ++sequence;
    HttpVersion version = request.protocolVersion();
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    ApiRequestDecoder.Decoded decoded;
    try {
      decoded = ApiRequestDecoder.decode(request, remote(ctx), peerCertificates.of(ctx));
    } catch (RuntimeException e) {
      Exchange exchange = new Exchange(requestId, request.method().name(), null, version, keepAlive);
      respond(ctx, exchange, failure(exchange, e), false);
      return;
    } finally {
      request.release();
    }
    ApiRequest api = decoded.request();
    Exchange exchange = new Exchange(requestId, api.method(), api.path(), version, keepAlive);
    Router.Match match;
    try {
      match = router.match(api.method(), decoded.rawPath());
    } catch (RuntimeException e) {
      respond(ctx, exchange, failure(exchange, e), false);
      return;
    }
    switch (match) {
      case Router.Match.Found found -> admit(ctx, exchange, found.handler(), api.withPathParameters(found.parameters()));
      case Router.Match.MethodNotAllowed notAllowed -> {
        String allowed = String.join(", ", notAllowed.allowed());
        respond(ctx, exchange, problem(exchange, 405, "Method Not Allowed", exchange.method() + " is not allowed on "
            + exchange.path() + "; allowed: " + allowed).withHeader("Allow", allowed), false);
      }
      case Router.Match.NotFound ignored ->
          respond(ctx, exchange, problem(exchange, 404, "Not Found", "there is no resource at " + exchange.path()), false);
    }
  }

  private void admit(ChannelHandlerContext ctx, Exchange exchange, ApiHandler handler, ApiRequest request) {
    switch (pool.tryAdmit()) {
      case DRAINING -> respond(ctx, exchange, shuttingDown(exchange), false);
      case BUSY -> {
        rejections.report(ctx.channel().remoteAddress(), 503, "too many requests in flight");
        respond(ctx, exchange, problem(exchange, 503, "Service Unavailable",
            "the server is handling too many requests; retry shortly").withHeader("Retry-After", "1"), false);
      }
      case ADMITTED -> {
        try {
          pool.execute(() -> {
            ApiResponse response = invoke(handler, request, exchange);
            try {
              ctx.executor().execute(() -> respond(ctx, exchange, response, true));
            } catch (RejectedExecutionException e) {
              pool.release(); // the event loop is gone, and with it the connection
            }
          });
        } catch (RejectedExecutionException e) {
          pool.release();
          respond(ctx, exchange, shuttingDown(exchange), false);
        }
      }
    }
  }

  /** Runs on a virtual thread. */
  private ApiResponse invoke(ApiHandler handler, ApiRequest request, Exchange exchange) {
    try {
      ApiResponse response = handler.handle(request);
      if (response == null) {
        throw new IllegalStateException("the handler returned no response");
      }
      return response;
    } catch (Throwable failure) { // Errors too: the client still gets an answer, and the failure is logged
      return failure(exchange, failure);
    }
  }

  private void respond(ChannelHandlerContext ctx, Exchange exchange, ApiResponse response, boolean holdsPermit) {
    if (response.streaming()) {
      startStream(ctx, exchange, response, holdsPermit);
      return;
    }
    boolean keepAlive = exchange.keepAlive() && !closing && !pool.isDraining();
    FullHttpResponse http;
    try {
      http = HttpResponses.encode(response, exchange.requestId(), exchange.version(), keepAlive);
    } catch (RuntimeException e) { // e.g. a header value with a line break, refused by Netty's validation
      http = HttpResponses.encode(failure(exchange, e), exchange.requestId(), exchange.version(), keepAlive);
    }
    ctx.writeAndFlush(http).addListener(written -> {
      if (holdsPermit) {
        pool.release();
      }
      if (written.isSuccess() && keepAlive) {
        next(ctx);
      } else {
        ctx.channel().close();
      }
    });
  }

  private void startStream(ChannelHandlerContext ctx, Exchange exchange, ApiResponse response, boolean holdsPermit) {
    HttpResponse head;
    try {
      head = HttpResponses.encodeStreamHead(response, exchange.requestId(), exchange.version());
    } catch (RuntimeException e) { // e.g. a header value with a line break
      respond(ctx, exchange, failure(exchange, e), holdsPermit);
      return;
    }
    EventStreams.Stream opened = closing ? null : streams.tryOpen(ctx, exchange.requestId());
    if (opened == null) {
      ApiResponse refusal = streams.isClosed() || pool.isDraining() ? shuttingDown(exchange)
          : problem(exchange, 503, "Service Unavailable", "too many event streams are open; retry shortly")
              .withHeader("Retry-After", "1");
      respond(ctx, exchange, refusal, holdsPermit);
      return;
    }
    stream = opened;
    closing = true; // no further request on this connection
    releaseQueue();
    ctx.channel().config().setAutoRead(true); // so that a client going away is noticed at once
    ctx.writeAndFlush(head).addListener(written -> {
      if (holdsPermit) {
        pool.release();
      }
      if (written.isSuccess()) {
        opened.start(response.stream());
      } else {
        opened.abandon();
        ctx.channel().close();
      }
    });
  }

  private void next(ChannelHandlerContext ctx) {
    busy = false;
    Object queued = queue.poll();
    if (queued != null) {
      start(ctx, queued);
      return;
    }
    ctx.pipeline().fireUserEventTriggered(ConnectionEvent.AWAITING_REQUEST);
    ctx.channel().config().setAutoRead(true);
  }

  private void refuse(ChannelHandlerContext ctx, Refusal refusal) {
    closing = true;
    releaseQueue();
    // Reported before answering: once a client sees a refusal, its audit line exists.
    rejections.report(ctx.channel().remoteAddress(), refusal.status(), refusal.reason());
    ApiResponse problem = json.problem(new ProblemException(refusal.status(), refusal.title(), refusal.detail()), null);
    ctx.writeAndFlush(HttpResponses.encode(problem, null, HttpVersion.HTTP_1_1, false)).addListener(written -> {
      if (written.isSuccess() && ctx.channel().isActive()) {
        ctx.pipeline().fireUserEventTriggered(ConnectionEvent.REFUSED);
      } else {
        ctx.channel().close();
      }
    });
  }

  /** The problem for a failure; 5xx are logged with the request id, never with the body or headers. */
  private ApiResponse failure(Exchange exchange, Throwable failure) {
    ProblemException problem = Problems.from(failure);
    if (problem.status() >= 500) {
      if (failure instanceof InterruptedException && pool.isDraining()) {
        log.warn("request {} {} {} was interrupted by shutdown", exchange.requestId(), exchange.method(),
            exchange.path());
      } else if (failure instanceof ProblemException) {
        log.warn("request {} {} {} answered {}: {}", exchange.requestId(), exchange.method(), exchange.path(),
            problem.status(), problem.detail());
      } else {
        log.error("request {} {} {} failed", exchange.requestId(), exchange.method(), exchange.path(), failure);
      }
    }
    return json.problem(problem, exchange.path());
  }

  private ApiResponse problem(Exchange exchange, int status, String title, String detail) {
    return json.problem(new ProblemException(status, title, detail), exchange.path());
  }

  private ApiResponse shuttingDown(Exchange exchange) {
    return problem(exchange, 503, "Service Unavailable", "the server is shutting down; retry shortly")
        .withHeader("Retry-After", "1");
  }

  private void releaseQueue() {
    for (Object queued = queue.poll(); queued != null; queued = queue.poll()) {
      ReferenceCountUtil.release(queued);
    }
  }

  private static InetSocketAddress remote(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress address ? address : null;
  }
}
