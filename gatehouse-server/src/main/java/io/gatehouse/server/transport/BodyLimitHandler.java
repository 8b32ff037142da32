package io.gatehouse.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Refuses a request whose body exceeds its route's limit ({@link BodyLimits}) with 413: a declared
 * Content-Length as soon as the headers arrive, before any of the body is buffered; a chunked body
 * as its chunks arrive. The aggregator behind holds at most the largest limit of any route.
 * One instance per connection.
 */
final class BodyLimitHandler extends ChannelInboundHandlerAdapter {
  private final BodyLimits limits;
  private int maxBodyBytes;
  private long received;
  private boolean refused;

  BodyLimitHandler(BodyLimits limits) {
    this.limits = limits;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused && msg instanceof HttpObject) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request && !(msg instanceof HttpContent)) {
      maxBodyBytes = limits.limitFor(request);
      received = 0;
      long length;
      try {
        length = HttpUtil.getContentLength(request, -1L);
      } catch (NumberFormatException e) {
        refuse(ctx, msg, Refusal.badRequest("the Content-Length header is not a number", "invalid Content-Length"));
        return;
      }
      if (length > maxBodyBytes) {
        refuse(ctx, msg, Refusal.contentTooLarge("the request body of " + length + " bytes exceeds the limit of "
            + maxBodyBytes + " bytes", "Content-Length " + length + " over the limit of " + maxBodyBytes + " bytes"));
        return;
      }
    } else if (msg instanceof HttpContent chunk && !refused) {
      received += chunk.content().readableBytes();
      if (received > maxBodyBytes) {
        refuse(ctx, msg, Refusal.contentTooLarge("the request body exceeds the limit of " + maxBodyBytes + " bytes",
            "chunked body over the limit of " + maxBodyBytes + " bytes"));
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  private void refuse(ChannelHandlerContext ctx, Object msg, Refusal refusal) {
    refused = true;
    ReferenceCountUtil.release(msg);
    ctx.fireChannelRead(refusal);
  }
}
