package io.gatehouse.server.transport;

import io.gatehouse.server.http.JsonCodec;
import io.gatehouse.server.http.Router;
import io.gatehouse.server.tls.ServerTls;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;

/**
 * The whole per-connection pipeline on one page. Inbound, bytes flow top to bottom:
 *
 * <pre>
 *   tls         SslHandler              TLS only; handshake must finish within handshakeTimeout
 *   deadline    RequestDeadlineHandler  a complete request within requestTimeout, else 408/close
 *   http        HttpServerCodec         HTTP/1.1 framing; request line and header size limits
 *   malformed   MalformedRequestHandler decoder failures become 400 / 414 / 431 refusals
 *   body-limit  BodyLimitHandler        body over its route's limit: 413 (declared: before it arrives)
 *   aggregator  BodyAggregator          collects the body, never more than the largest route limit
 *   dispatcher  ApiDispatcher           route, run the handler on a virtual thread, answer in order;
 *                                       event streams (SSE) are written by their producer's thread
 *   errors      ConnectionErrorHandler  anything else: log (safely) and close
 * </pre>
 *
 * Every handler except the codec keeps per-connection state, so each connection gets new instances;
 * only thread-safe collaborators (TLS context, router, handler pool, event streams) are shared.
 */
final class HttpsPipeline extends ChannelInitializer<SocketChannel> {
  private final HttpsServerConfig config;
  private final ServerTls tls;
  private final Router router;
  private final JsonCodec json;
  private final HandlerPool pool;
  private final EventStreams streams;
  private final Rejections rejections;
  private final ChannelGroup connections;

  HttpsPipeline(HttpsServerConfig config, ServerTls tls, Router router, JsonCodec json, HandlerPool pool,
      EventStreams streams, Rejections rejections, ChannelGroup connections) {
    this.config = config;
    this.tls = tls;
    this.router = router;
    this.json = json;
    this.pool = pool;
    this.streams = streams;
    this.rejections = rejections;
    this.connections = connections;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    connections.add(channel); // removed automatically on close; lets close() reach every connection

    SslHandler sslHandler = tls.sslContext().newHandler(channel.alloc());
    sslHandler.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
    HttpDecoderConfig httpLimits = new HttpDecoderConfig()
        .setMaxInitialLineLength(config.maxInitialLineBytes())
        .setMaxHeaderSize(config.maxHeaderBytes());

    ChannelPipeline pipeline = channel.pipeline();
    pipeline.addLast("tls", sslHandler);
    pipeline.addLast("deadline", new RequestDeadlineHandler(config.requestTimeout(), config.lingerAfterRefusal()));
    pipeline.addLast("http", new HttpServerCodec(httpLimits));
    pipeline.addLast("malformed", new MalformedRequestHandler(config.maxInitialLineBytes(), config.maxHeaderBytes()));
    BodyLimits bodyLimits = new BodyLimits(config.maxBodyBytes());
    pipeline.addLast("body-limit", new BodyLimitHandler(bodyLimits));
    pipeline.addLast("aggregator", new BodyAggregator(bodyLimits.largest()));
    pipeline.addLast("dispatcher", new ApiDispatcher(router, json, pool, streams, rejections,
        config.maxPipelinedRequests()));
    pipeline.addLast("errors", new ConnectionErrorHandler(rejections, config.handshakeTimeout()));
  }
}
