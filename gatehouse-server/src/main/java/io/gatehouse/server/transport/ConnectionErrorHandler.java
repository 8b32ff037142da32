package io.gatehouse.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of the pipeline: closes the connection on any error that reached it, and reports TLS
 * handshakes that time out (slow clients hold a connection just like slow requests). Other
 * handshake failures (port scanners, plain HTTP, old TLS versions) are only logged at debug level:
 * they never reach HTTP, and auditing each would let anyone flood the audit log.
 */
final class ConnectionErrorHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionErrorHandler.class);
  private static final int MAX_MESSAGE = 200;

  private final Rejections rejections;
  private final Duration handshakeTimeout;

  ConnectionErrorHandler(Rejections rejections, Duration handshakeTimeout) {
    this.rejections = rejections;
    this.handshakeTimeout = handshakeTimeout;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof SslHandshakeCompletionEvent done && done.cause() instanceof SslHandshakeTimeoutException) {
      rejections.report(ctx.channel().remoteAddress(), 408,
          "TLS handshake not completed within " + handshakeTimeout.toMillis() + " ms");
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (log.isDebugEnabled()) {
      log.debug("closing the connection from {}: {}", ctx.channel().remoteAddress(), describe(cause));
    }
    ctx.close();
  }

  static String describe(Throwable failure) {
    Throwable cause = failure instanceof DecoderException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof NotSslRecordException) {
      // Its message is a hex dump of the bytes received, which may include credentials sent in the clear.
      return "not a TLS record (a plain-text client on the TLS port?)";
    }
    String message = cause.getMessage() == null ? "" : cause.getMessage();
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE) + "...";
    }
    return cause.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }
}
