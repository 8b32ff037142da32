package io.gatehouse.server.mqtt;

import io.gatehouse.core.error.PreconditionFailedException;
import io.gatehouse.core.message.InboxMessage;
import io.gatehouse.server.inbox.InboxService;
import io.gatehouse.server.mqtt.PendingPubAcks.Delivery;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the device's inbox while it is subscribed to its devicebound topic: one pull at a time
 * on a virtual thread (the inbox blocks on the store), each message published at QoS 1 with
 * Azure's topic encoding. At most a small window of deliveries awaits PUBACK, and none is sent
 * while the channel is not writable, so a slow device never makes the server buffer. A PUBACK
 * completes the message; a connection lost first abandons it, so it is delivered again (with a
 * higher delivery count) on the next connection.
 *
 * <p>Pulls happen on subscription, on {@link MqttEvent#INBOX_CHANGED}, after each PUBACK, when the
 * channel becomes writable again, and every {@link #IDLE_POLL} while idle (to pick up messages whose
 * lock a crashed connection left behind).
 */
final class InboxDeliveryHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(InboxDeliveryHandler.class);
  private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);
  static final Duration IDLE_POLL = Duration.ofSeconds(30);

  private enum Settlement { COMPLETE, ABANDON, REJECT }

  private final InboxService inbox;
  private final Executor blocking;
  private final MqttConnection connection;
  private final int window;
  private ChannelHandlerContext ctx;
  private PendingPubAcks pending;
  private boolean subscribed;
  private boolean pulling;
  private boolean wakeAgain;
  private boolean pullScheduled;
  private boolean closed;

  InboxDeliveryHandler(InboxService inbox, Executor blocking, MqttConnection connection, int window) {
    this.inbox = inbox;
    this.blocking = blocking;
    this.connection = connection;
    this.window = window;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
    this.pending = new PendingPubAcks(context.executor(), inbox.settings().lockDuration(), this::timedOut);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object event) {
    if (event == MqttEvent.INBOX_SUBSCRIBED) {
      subscribed = true;
      pull();
    } else if (event == MqttEvent.INBOX_UNSUBSCRIBED) {
      subscribed = false;
    } else if (event == MqttEvent.INBOX_CHANGED) {
      if (pulling) {
        wakeAgain = true; // the pull under way may have looked before this message was committed
      } else {
        pull();
      }
    }
    context.fireUserEventTriggered(event);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext context) {
    if (context.channel().isWritable()) {
      pull();
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
    List<Delivery> unacknowledged = pending.drain();
    if (!unacknowledged.isEmpty()) {
      log.info("mqtt abandoning {} unacknowledged message(s) conn={} device={}", unacknowledged.size(),
          connection.id(), connection.deviceId());
      unacknowledged.forEach(d -> settle(Settlement.ABANDON, d.lockToken()));
    }
    context.fireChannelInactive();
  }

  private void pull() {
    int limit = Math.min(window, connection.limits().receiveMaximum());
    if (closed || !subscribed || pulling || connection.isClosing() || !ctx.channel().isWritable()
        || pending.size() >= limit) {
      return;
    }
    pulling = true;
    wakeAgain = false;
    String deviceId = connection.deviceId();
    try {
      blocking.execute(() -> {
        Optional<InboxMessage> next;
        try {
          next = inbox.receive(deviceId);
        } catch (RuntimeException e) {
          log.warn("mqtt inbox receive failed device={}: {}", deviceId, e.toString());
          onEventLoop(() -> received(null));
          return;
        }
        onEventLoop(() -> received(next));
      });
    } catch (RejectedExecutionException e) {
      pulling = false; // the server is closing
    }
  }

  /** {@code next} is null if the receive failed. */
  private void received(Optional<InboxMessage> next) {
    pulling = false;
    if (next == null) {
      pullLater(RETRY_AFTER_FAILURE);
      return;
    }
    if (next.isEmpty()) {
      if (wakeAgain) {
        pull();
      } else {
        pullLater(IDLE_POLL);
      }
      return;
    }
    InboxMessage message = next.get();
    if (closed || !subscribed || connection.isClosing()) {
      settle(Settlement.ABANDON, message.lockToken());
      return;
    }
    deliver(message);
    pull();
  }

  private void deliver(InboxMessage message) {
    String topic = DeviceTopics.deviceboundTopic(message);
    int topicBytes = ByteBufUtil.utf8Bytes(topic);
    long packetBytes = 5L + 2 + topicBytes + 2 + 1 + message.payload().length; // fixed header at most 5 bytes
    if (topicBytes > 65_535 || packetBytes > connection.limits().maximumPacketSize()) {
      // It can never be delivered over MQTT to this client: dead-letter it now (feedback: Rejected).
      log.warn("mqtt inbox message too large for the client, rejected device={} sequence={} bytes={}",
          connection.deviceId(), message.sequence(), packetBytes);
      settle(Settlement.REJECT, message.lockToken());
      return;
    }
    int packetId = pending.nextPacketId();
    pending.add(packetId, message.lockToken());
    ctx.writeAndFlush(MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.AT_LEAST_ONCE).retained(false)
        .messageId(packetId).payload(Unpooled.wrappedBuffer(message.payload())).build());
  }

  private void onPubAck(MqttPubAckMessage ack) {
    int packetId = ack.variableHeader().messageId();
    Delivery delivery = pending.acknowledge(packetId);
    if (delivery == null) {
      log.debug("mqtt PUBACK for unknown packet id {} conn={}", packetId, connection.id());
      return;
    }
    boolean refused = ack.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply
        && (reply.reasonCode() & 0xff) >= 0x80;
    // Over MQTT 3.1.1 a PUBACK is the only settlement (complete); an MQTT 5 client may refuse a message.
    settle(refused ? Settlement.REJECT : Settlement.COMPLETE, delivery.lockToken());
    pull();
  }

  private void timedOut(Delivery delivery) {
    log.info("mqtt no PUBACK within the lock duration conn={} device={} packetId={}", connection.id(),
        connection.deviceId(), delivery.packetId());
    settle(Settlement.ABANDON, delivery.lockToken());
    pull();
  }

  private void settle(Settlement settlement, String lockToken) {
    String deviceId = connection.deviceId();
    try {
      blocking.execute(() -> {
        try {
          switch (settlement) {
            case COMPLETE -> inbox.complete(deviceId, lockToken);
            case ABANDON -> inbox.abandon(deviceId, lockToken);
            case REJECT -> inbox.reject(deviceId, lockToken);
          }
        } catch (PreconditionFailedException e) {
          log.debug("mqtt inbox lock already lost device={} settlement={}", deviceId, settlement);
        } catch (RuntimeException e) {
          log.warn("mqtt inbox {} failed device={}: {}", settlement, deviceId, e.toString());
        }
      });
    } catch (RejectedExecutionException e) {
      log.warn("mqtt inbox {} skipped (server closing) device={}; the lock expires on its own", settlement, deviceId);
    }
  }

  private void pullLater(Duration delay) {
    if (pullScheduled || closed) {
      return;
    }
    pullScheduled = true;
    ctx.executor().schedule(() -> {
      pullScheduled = false;
      pull();
    }, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void onEventLoop(Runnable task) {
    try {
      ctx.executor().execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("event loop gone conn={}", connection.id());
    }
  }
}
