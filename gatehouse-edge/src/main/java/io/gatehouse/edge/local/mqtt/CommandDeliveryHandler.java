package io.gatehouse.edge.local.mqtt;

import io.gatehouse.edge.local.GuardedSink;
import io.gatehouse.edge.local.LeafDeliveryException.Reason;
import io.gatehouse.edge.local.LeafDeliveryException;
import io.gatehouse.mqtt.PendingPubAcks;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Edge → leaf commands on the leaf's command topic. Commands wait in a bounded queue and are sent
 * while the leaf is subscribed, the channel is writable and fewer than the window (and the leaf's
 * Receive Maximum) await a PUBACK; a slow leaf therefore never makes the edge buffer. At QoS 1 a
 * command's future completes on the leaf's PUBACK; if the leaf subscribed at QoS 0 it completes once
 * the command is written to the socket. Failures: see {@link LeafDeliveryException.Reason}.
 */
final class CommandDeliveryHandler extends ChannelInboundHandlerAdapter implements LeafOutbox {
  private static final Logger log = LoggerFactory.getLogger(CommandDeliveryHandler.class);

  /** One command awaiting the leaf's PUBACK. */
  private record Delivery(int packetId, CompletableFuture<Void> result) {}

  private record Command(byte[] payload, CompletableFuture<Void> result) {}

  private final LeafConnection connection;
  private final GuardedSink sink;
  private final int queueCapacity;
  private final int window;
  private final Duration ackTimeout;
  private final ArrayDeque<Command> queue = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private PendingPubAcks<Delivery> pending;
  private MqttQoS granted;
  private boolean closed;

  CommandDeliveryHandler(LeafConnection connection, GuardedSink sink, int queueCapacity, int window,
      Duration ackTimeout) {
    this.connection = connection;
    this.sink = sink;
    this.queueCapacity = queueCapacity;
    this.window = window;
    this.ackTimeout = ackTimeout;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
    this.pending = new PendingPubAcks<>(context.executor(), ackTimeout, this::timedOut);
  }

  @Override
  public void offer(byte[] payload, CompletableFuture<Void> result) {
    String topic = LeafTopics.commands(connection.leafId());
    if (closed || connection.isClosing()) {
      fail(result, Reason.NOT_CONNECTED, "its connection is closing; retry after it reconnects");
    } else if (granted == null) {
      fail(result, Reason.NOT_SUBSCRIBED, "the leaf is connected but not subscribed to " + topic);
    } else if (5L + 2 + ByteBufUtil.utf8Bytes(topic) + 2 + payload.length > connection.limits().maximumPacketSize()) {
      fail(result, Reason.TOO_LARGE, payload.length + " bytes exceed the leaf's maximum packet size of "
          + connection.limits().maximumPacketSize());
    } else if (queue.size() >= queueCapacity) {
      fail(result, Reason.QUEUE_FULL, queueCapacity + " commands are already queued; retry later");
    } else {
      queue.add(new Command(payload, result));
      drain();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object event) {
    if (event instanceof CommandSubscription subscription) {
      boolean wasWanted = granted != null;
      granted = subscription.grantedQos();
      if (subscription.active()) {
        drain();
        if (!wasWanted) {
          sink.commandsWanted(connection.leafId());
        }
      } else {
        failQueued(Reason.NOT_SUBSCRIBED, "the leaf unsubscribed from its command topic");
        if (wasWanted) {
          sink.commandsUnwanted(connection.leafId());
        }
      }
    }
    context.fireUserEventTriggered(event);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext context) {
    if (context.channel().isWritable()) {
      drain();
    }
    context.fireChannelWritabilityChanged();
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) {
    if (msg instanceof MqttPubAckMessage ack) {
      onPubAck(ack);
    } else {
      context.fireChannelRead(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    closed = true;
    for (Delivery delivery : pending.drain()) {
      fail(delivery.result(), Reason.CONNECTION_LOST, "the connection ended before the leaf acknowledged");
    }
    failQueued(Reason.CONNECTION_LOST, "the connection ended before the command was sent");
    if (granted != null) {
      granted = null;
      sink.commandsUnwanted(connection.leafId()); // paired with this connection's commandsWanted
    }
    context.fireChannelInactive();
  }

  private void drain() {
    if (closed || granted == null || connection.isClosing()) {
      return;
    }
    int limit = Math.min(window, connection.limits().receiveMaximum());
    boolean wrote = false;
    while (!queue.isEmpty() && ctx.channel().isWritable()
        && (granted == MqttQoS.AT_MOST_ONCE || pending.size() < limit)) {
      Command command = queue.poll();
      if (!command.result().isDone()) { // the caller may have given up (cancelled) meanwhile
        send(command);
        wrote = true;
      }
    }
    if (wrote) {
      ctx.flush();
    }
  }

  private void send(Command command) {
    MqttMessageBuilders.PublishBuilder publish = MqttMessageBuilders.publish()
        .topicName(LeafTopics.commands(connection.leafId())).retained(false).qos(granted)
        .payload(Unpooled.wrappedBuffer(command.payload()));
    if (granted == MqttQoS.AT_LEAST_ONCE) {
      int packetId = pending.nextPacketId();
      pending.add(packetId, new Delivery(packetId, command.result()));
      ctx.write(publish.messageId(packetId).build());
    } else {
      ctx.write(publish.build()).addListener(written -> {
        if (written.isSuccess()) {
          command.result().complete(null);
        } else {
          fail(command.result(), Reason.CONNECTION_LOST, "writing to the leaf failed: " + written.cause());
        }
      });
    }
  }

  private void onPubAck(MqttPubAckMessage ack) {
    int packetId = ack.variableHeader().messageId();
    Delivery delivery = pending.acknowledge(packetId);
    if (delivery == null) {
      log.debug("leaf PUBACK for unknown or timed-out packet conn={} leaf={} packetId={}", connection.id(),
          connection.leafId(), packetId);
      return;
    }
    if (ack.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply && (reply.reasonCode() & 0xff) >= 0x80) {
      fail(delivery.result(), Reason.REFUSED_BY_LEAF,
          "PUBACK reason code 0x" + Integer.toHexString(reply.reasonCode() & 0xff));
    } else {
      delivery.result().complete(null);
    }
    drain();
  }

  private void timedOut(Delivery delivery) {
    log.info("leaf did not acknowledge a command conn={} leaf={} packetId={} timeoutMs={}", connection.id(),
        connection.leafId(), delivery.packetId(), ackTimeout.toMillis());
    fail(delivery.result(), Reason.NO_ACKNOWLEDGEMENT, "no PUBACK within " + ackTimeout.toMillis() + " ms");
    drain();
  }

  private void failQueued(Reason reason, String detail) {
    while (!queue.isEmpty()) {
      fail(queue.poll().result(), reason, detail);
    }
  }

  private void fail(CompletableFuture<Void> result, Reason reason, String detail) {
    result.completeExceptionally(new LeafDeliveryException(connection.leafId(), reason, detail));
  }
}
