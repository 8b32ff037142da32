package io.gatehouse.edge.local.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose CONNECT has not arrived and been answered within the deadline after the
 * TCP connection opened. Unlike a read-idle timer it is not extended by bytes trickling in. Removes
 * itself once the leaf is authenticated (keep-alive takes over).
 */
final class ConnectDeadlineHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectDeadlineHandler.class);

  private final Duration deadline;
  private final LeafConnection connection;
  private ScheduledFuture<?> timer;

  ConnectDeadlineHandler(Duration deadline, LeafConnection connection) {
    this.deadline = deadline;
    this.connection = connection;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    timer = ctx.executor().schedule(this::expired, deadline.toMillis(), TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event == LeafEvent.SESSION_ESTABLISHED) {
      ctx.pipeline().remove(this);
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private void expired() {
    if (connection.isEstablished() || connection.isClosing()) {
      return;
    }
    log.info("leaf connection closed: no CONNECT within {} ms conn={} source={}", deadline.toMillis(),
        connection.id(), connection.remoteAddress());
    connection.close();
  }
}
