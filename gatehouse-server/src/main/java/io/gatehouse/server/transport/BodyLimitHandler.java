package io.gatehouse.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Refuses a request whose declared Content-Length exceeds the limit with 413 as soon as its
 * headers arrive, before any of the body is buffered. Chunked bodies have no declared length; the
 * aggregator behind this handler enforces the same limit on them as they arrive.
 * One instance per connection.
 */
final class BodyLimitHandler extends ChannelInboundHandlerAdapter {
  private final int maxBodyBytes;
  private boolean refused;

  BodyLimitHandler(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused && msg instanceof HttpObject) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request && !(msg instanceof HttpContent)) {
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
    }
    ctx.fireChannelRead(msg);
  }

  private void refuse(ChannelHandlerContext ctx, Object msg, Refusal refusal) {
    refused = true;
    ReferenceCountUtil.release(msg);
    ctx.fireChannelRead(refusal);
  }
}
