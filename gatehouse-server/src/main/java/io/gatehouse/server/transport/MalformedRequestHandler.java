package io.gatehouse.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

/**
 * Turns HTTP decoding failures into refusals: 414 for a request line over the limit (it is the URI
 * that makes it long), 431 for a header section over the limit, 400 for anything else that is not
 * HTTP/1.1. The decoder discards the rest of the input itself; this drops whatever it already emitted.
 * One instance per connection.
 */
final class MalformedRequestHandler extends ChannelInboundHandlerAdapter {
  private static final int MAX_REASON = 120;

  private final int maxInitialLineBytes;
  private final int maxHeaderBytes;
  private boolean refused;

  MalformedRequestHandler(int maxInitialLineBytes, int maxHeaderBytes) {
    this.maxInitialLineBytes = maxInitialLineBytes;
    this.maxHeaderBytes = maxHeaderBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpObject http)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (http.decoderResult().isFailure()) {
      refused = true;
      Throwable cause = http.decoderResult().cause();
      ReferenceCountUtil.release(msg);
      ctx.fireChannelRead(refusal(cause));
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private Refusal refusal(Throwable cause) {
    return switch (cause) {
      case TooLongHttpLineException ignored -> new Refusal(414, "URI Too Long",
          "the request line is longer than " + maxInitialLineBytes + " bytes", "request line over "
          + maxInitialLineBytes + " bytes");
      case TooLongHttpHeaderException ignored -> new Refusal(431, "Request Header Fields Too Large",
          "the request headers are larger than " + maxHeaderBytes + " bytes", "headers over "
          + maxHeaderBytes + " bytes");
      default -> Refusal.badRequest("the request is not well-formed HTTP/1.1: " + describe(cause),
          "malformed HTTP: " + describe(cause));
    };
  }

  /**
   * The decoder's message, cut short and reduced to printable ASCII: it can quote the offending
   * input, which must not smuggle control characters or volume into responses and audit lines.
   */
  private static String describe(Throwable cause) {
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    StringBuilder out = new StringBuilder(Math.min(message.length(), MAX_REASON));
    for (int i = 0; i < message.length() && out.length() < MAX_REASON; i++) {
      char c = message.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }
}
