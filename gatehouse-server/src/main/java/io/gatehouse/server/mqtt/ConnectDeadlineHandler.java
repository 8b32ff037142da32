package io.gatehouse.server.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose CONNECT has not arrived, and been answered, within the deadline after
 * the TLS handshake. Unlike a read-idle timer it is not extended by bytes trickling in, so a client
 * cannot hold a connection open by sending a CONNECT one byte a minute. Removes itself once the
 * session is established (keep-alive takes over).
 */
final class ConnectDeadlineHandler extends ChannelInboundHandlerAdapter {
  private final Duration deadline;
  private final MqttConnection connection;
  private ScheduledFuture<?> timer;

  ConnectDeadlineHandler(Duration deadline, MqttConnection connection) {
    this.deadline = deadline;
    this.connection = connection;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess() && timer == null) {
      timer = ctx.executor().schedule(this::expired, deadline.toMillis(), TimeUnit.MILLISECONDS);
    } else if (event == MqttEvent.SESSION_ESTABLISHED) {
      ctx.pipeline().remove(this);
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
    ctx.fireChannelInactive();
  }

  private void expired() {
    if (connection.isEstablished() || connection.isClosing()) {
      return;
    }
    // Anyone can open idle connections in bulk: counted and logged, not audited.
    connection.count(MqttRefusal.CONNECT_TIMEOUT, "no CONNECT answered within " + deadline.toMillis() + " ms");
    connection.close(MqttConnection.CloseCause.LOST);
  }
}
