package io.gatehouse.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that does not deliver a complete request in time. Unlike a read-idle timer,
 * the deadline covers the whole request, so trickling one byte at a time (slowloris) does not
 * extend it. A client that sent part of a request gets a 408 refusal; an idle keep-alive connection
 * is simply closed. After a refusal it discards further input for a short linger, then closes.
 *
 * <p>The first deadline starts when the TLS handshake completes (which has its own timeout), the next
 * ones when the previous response has been written. Sits between TLS and HTTP decoding, so it sees
 * the plaintext bytes. One instance per connection.
 */
final class RequestDeadlineHandler extends ChannelDuplexHandler {
  private final long timeoutNanos;
  private final long lingerNanos;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> timer;
  private boolean requestPending = true;
  private boolean bytesSeen;
  private boolean lingering;

  RequestDeadlineHandler(Duration timeout, Duration linger) {
    this.timeoutNanos = timeout.toNanos();
    this.lingerNanos = linger.toNanos();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (lingering) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
      bytesSeen = true;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess() && !lingering) {
      arm(); // the handshake has its own timeout in SslHandler; the first request's deadline starts now
    } else if (event == ConnectionEvent.REQUEST_RECEIVED) {
      cancel();
      requestPending = false;
      bytesSeen = false;
    } else if (event == ConnectionEvent.AWAITING_REQUEST && !lingering) {
      requestPending = true;
      arm();
    } else if (event == ConnectionEvent.REFUSED) {
      linger();
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  private void linger() {
    lingering = true;
    cancel();
    // Keep reading so that what the client still sends is consumed; closing with unread input
    // would make the kernel send a reset, and the client could lose the refusal it has not read yet.
    ctx.channel().config().setAutoRead(true);
    SslHandler tls = ctx.pipeline().get(SslHandler.class);
    if (tls != null) {
      tls.closeOutbound(); // close_notify: a TLS client sees the end of the answer now, not after the linger
    }
    timer = ctx.executor().schedule(() -> {
      ctx.close();
    }, lingerNanos, TimeUnit.NANOSECONDS);
  }

  private void arm() {
    cancel();
    timer = ctx.executor().schedule(this::expired, timeoutNanos, TimeUnit.NANOSECONDS);
  }

  private void expired() {
    timer = null;
    if (!requestPending || lingering || !ctx.channel().isActive()) {
      return;
    }
    if (bytesSeen) {
      long seconds = TimeUnit.NANOSECONDS.toSeconds(timeoutNanos);
      String limit = seconds > 0 ? seconds + " s" : TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms";
      ctx.fireChannelRead(new Refusal(408, "Request Timeout", "the request was not complete within " + limit,
          "incomplete request after " + limit));
    } else {
      ctx.close();
    }
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
