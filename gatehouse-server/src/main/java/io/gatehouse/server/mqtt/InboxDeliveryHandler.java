package io.gatehouse.server.mqtt;

import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.message.InboxMessage;
import io.gatehouse.server.device.InboxReservation;
import io.gatehouse.server.inbox.InboxService;
import io.gatehouse.mqtt.PendingPubAcks;
import io.gatehouse.store.Durability;
import io.gatehouse.store.Inbox.Settlement;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the inboxes the connection is subscribed to: the device's own, and, on a field
 * gateway's connection, each subscribed leaf's, every message on its own device's devicebound
 * topic (Azure's encoding) at QoS 1. One pull at a time, queued on the store's writer without
 * blocking the event loop behind this connection's settlements (so the store sees both in the order
 * they were made), the inboxes that may hold messages taking turns ({@link InboxRotation}). On a
 * device's connection a pull locks as many messages as the window has room for, in one
 * transaction (on a field gateway's, one per turn); when it gets fewer than it asked for, the inbox
 * is drained and is not pulled again until it changes, which saves an empty pull after every
 * delivery. All of them
 * share one window of deliveries awaiting PUBACK, and nothing is sent while the channel is not
 * writable, so a slow client never makes the server buffer. Before every pull the inbox service is
 * asked again whether this client may receive that inbox: a leaf disabled, moved or deleted while
 * subscribed gets nothing more here, and its subscription is dropped (quietly: the client is not
 * told, the log is).
 *
 * <p>Settlement by PUBACK (MQTT 3.1.1: always complete). MQTT 5: a success code completes;
 * <b>0x80 Unspecified error abandons</b> — "could not hand it on right now", as a field gateway
 * answers for a leaf that is offline — and that inbox is not pulled again on this connection until
 * it is subscribed again (UNSUBSCRIBE + SUBSCRIBE, or a repeated SUBSCRIBE) or the next idle poll,
 * so the message is not redelivered in a tight loop; its delivery count was raised when it was
 * locked, so the maximum delivery count still ends it. Any other code from 0x81 up rejects
 * (dead-letters) the message. A connection lost first abandons every delivery in flight, so each
 * is delivered again (with a higher delivery count) later.
 *
 * <p>Direct delivery: while the device's own inbox is subscribed (not on a field gateway's
 * connection) and the window has room, a service's send reserves that room ({@link #reserve}) before
 * it is stored; the store locks the message for this connection in the transaction that stores it,
 * if nothing older is deliverable, and it is published as soon as it is committed, with no pull. An
 * {@link InboxPullGate} keeps pulls and reservations from overlapping, so delivery stays in sequence
 * order.
 *
 * <p>Pulls happen on subscription, on an {@link InboxEvent.Changed} (of that inbox only), after
 * each PUBACK, when the channel becomes writable again, and for every subscribed inbox every
 * {@link #IDLE_POLL} (to pick up messages whose lock a crashed connection left behind).
 */
final class InboxDeliveryHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(InboxDeliveryHandler.class);

  /** One delivery awaiting its PUBACK: the message of {@code deviceId}'s inbox locked by {@code lockToken}. */
  private record Delivery(int packetId, String deviceId, String lockToken) {}
  private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);
  static final Duration IDLE_POLL = Duration.ofSeconds(30);

  private final InboxService inbox;
  private final MqttConnection connection;
  private final int window;
  private final InboxRotation rotation = new InboxRotation();
  private final InboxSettler settler;
  private ChannelHandlerContext ctx;
  private PendingPubAcks<Delivery> pending;
  private final InboxPullGate gate = new InboxPullGate();
  private ScheduledFuture<?> idlePoll;
  private boolean retryScheduled;
  private boolean closed;

  InboxDeliveryHandler(InboxService inbox, MqttConnection connection, int window) {
    this.inbox = inbox;
    this.connection = connection;
    this.window = window;
    this.settler = new InboxSettler(inbox);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
    this.pending = new PendingPubAcks<>(context.executor(), inbox.settings().lockDuration(), this::timedOut);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object event) {
    switch (event) {
      case InboxEvent.Subscribed subscribed -> {
        rotation.subscribe(subscribed.deviceId());
        refreshDirect();
        startIdlePoll();
        pull();
      }
      case InboxEvent.Unsubscribed unsubscribed -> {
        rotation.unsubscribe(unsubscribed.deviceId());
        refreshDirect();
      }
      case InboxEvent.Changed changed -> {
        // Marked ready even while a pull of it is under way: that pull may have looked before this
        // message was committed, so the inbox gets another turn.
        rotation.changed(changed.deviceId());
        pull();
      }
      default -> { }
    }
    context.fireUserEventTriggered(event);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext context) {
    refreshDirect();
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
    refreshDirect();
    if (idlePoll != null) {
      idlePoll.cancel(false);
    }
    List<Delivery> unacknowledged = pending.drain();
    if (!unacknowledged.isEmpty()) {
      log.info("mqtt abandoning {} unacknowledged message(s) conn={} device={}", unacknowledged.size(),
          connection.id(), connection.deviceId());
      unacknowledged.forEach(d -> settler.settle(Settlement.ABANDON, d.deviceId(), d.lockToken()));
    }
    context.fireChannelInactive();
  }

  private void pull() {
    int limit = limit();
    if (closed || connection.isClosing() || !ctx.channel().isWritable() || pending.size() >= limit
        || !gate.tryStartPull()) {
      return; // a pull under way, or a reservation outstanding: their end pulls again
    }
    String deviceId = nextReceivable();
    if (deviceId == null) {
      gate.pullDone();
      return;
    }
    // A device's own inbox: as many as the window has room for, in one transaction. A field
    // gateway's: one per turn, so a busy leaf does not hold up its siblings (even those whose
    // subscription arrives after this pull).
    int max = servesLeaves() ? 1 : limit - pending.size();
    // Deferred: the locks need not be on disk before the PUBLISH (see Durability.DEFERRED); the
    // messages themselves were on disk before their senders heard back. Queued behind this
    // connection's settlements, so a message the client just gave back is not locked again here.
    inbox.receiveAsync(deviceId, max, Durability.DEFERRED).whenComplete((next, failure) -> {
      if (failure != null) {
        log.warn("mqtt inbox receive failed device={}: {}", deviceId, failure.toString());
      }
      onEventLoop(() -> received(deviceId, max, failure == null ? next : null), () -> gate.pullDone());
    });
  }

  private int limit() {
    return Math.min(window, connection.limits().receiveMaximum());
  }

  /**
   * Room for a message of this device's own inbox to be locked for this connection as it is stored
   * and published at once ({@link InboxService#send}); any thread.
   */
  Optional<InboxReservation> reserve() {
    return gate.tryReserve() ? Optional.of(new Reservation()) : Optional.empty();
  }

  /** Direct delivery only for a device's own inbox, subscribed, not paused, on a usable connection. */
  private void refreshDirect() {
    if (!connection.isEstablished()) {
      gate.open(false, 0);
      return;
    }
    gate.open(!servesLeaves() && ctx.channel().isWritable() && mayDeliver(connection.deviceId()), limit());
  }

  private boolean servesLeaves() {
    return connection.device().device().kind() == IdentityKind.EDGE;
  }

  /** This connection is usable and still wants {@code deviceId}'s messages: subscribed, not paused. */
  private boolean mayDeliver(String deviceId) {
    return !closed && !connection.isClosing() && rotation.isSubscribed(deviceId) && !rotation.isPaused(deviceId);
  }

  /** A message stored for a reservation: deliver it if it was locked for us, else pull as for any change. */
  private void directlyStored(InboxMessage stored, boolean releases) {
    if (releases) {
      gate.release();
    }
    if (stored.lockToken() == null) {
      rotation.changed(stored.deviceId());
    } else if (mayDeliver(stored.deviceId())) {
      deliver(stored);
    } else {
      settler.settle(Settlement.ABANDON, stored.deviceId(), stored.lockToken());
    }
    pull();
  }

  /** Gives the window's room back once, whichever of its two ends comes first (or both). */
  private final class Reservation implements InboxReservation {
    private final AtomicBoolean ended = new AtomicBoolean();

    @Override
    public void committed(InboxMessage stored) {
      boolean releases = ended.compareAndSet(false, true);
      try {
        ctx.executor().execute(() -> directlyStored(stored, releases));
      } catch (RejectedExecutionException e) {
        if (stored.lockToken() != null) {
          settler.settle(Settlement.ABANDON, stored.deviceId(), stored.lockToken());
        }
      }
    }

    @Override
    public void cancel() {
      if (ended.compareAndSet(false, true)) {
        onEventLoop(() -> {
          gate.release();
          pull();
        });
      }
    }
  }

  /** The next ready inbox this client may still receive; one it may no longer is dropped on the way. */
  private String nextReceivable() {
    for (String deviceId = rotation.next(); deviceId != null; deviceId = rotation.next()) {
      Optional<String> refusal = inbox.receiveRefusal(connection.device(), deviceId);
      if (refusal.isEmpty()) {
        return deviceId;
      }
      rotation.unsubscribe(deviceId);
      log.info("mqtt inbox subscription dropped conn={} device={} inbox={} reason=\"{}\"", connection.id(),
          connection.deviceId(), deviceId, refusal.get());
    }
    return null;
  }

  /** {@code next} is null if the receive failed; fewer than {@code asked} means the inbox is drained. */
  private void received(String deviceId, int asked, List<InboxMessage> next) {
    gate.pullDone();
    if (next == null) {
      rotation.changed(deviceId); // still to be looked at, after a pause
      retryLater();
      return;
    }
    if (next.size() == asked) {
      rotation.changed(deviceId); // there may be more: its next turn comes after the other ready inboxes
    }
    for (InboxMessage message : next) {
      // Paused while this pull was under way (the client answered "not now" to an earlier message
      // of this inbox): given back, not pushed at a client that just said it cannot take it. The
      // abandon of that earlier message may even have committed before this lock, which then took
      // the same message again.
      if (mayDeliver(deviceId)) {
        deliver(message);
      } else {
        settler.settle(Settlement.ABANDON, deviceId, message.lockToken());
      }
    }
    pull();
  }

  private void deliver(InboxMessage message) {
    String topic = DeviceTopics.deviceboundTopic(message);
    int topicBytes = ByteBufUtil.utf8Bytes(topic);
    long packetBytes = 5L + 2 + topicBytes + 2 + 1 + message.payload().length; // fixed header at most 5 bytes
    if (topicBytes > 65_535 || packetBytes > connection.limits().maximumPacketSize()) {
      // It can never be delivered over MQTT to this client: dead-letter it now (feedback: Rejected).
      log.warn("mqtt inbox message too large for the client, rejected conn={} inbox={} sequence={} bytes={}",
          connection.id(), message.deviceId(), message.sequence(), packetBytes);
      settler.settle(Settlement.REJECT, message.deviceId(), message.lockToken());
      return;
    }
    int packetId = pending.nextPacketId();
    pending.add(packetId, new Delivery(packetId, message.deviceId(), message.lockToken()));
    gate.inFlight(pending.size());
    ctx.writeAndFlush(MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.AT_LEAST_ONCE).retained(false)
        .messageId(packetId).payload(Unpooled.wrappedBuffer(message.payload())).build());
  }

  private void onPubAck(MqttPubAckMessage ack) {
    int packetId = ack.variableHeader().messageId();
    Delivery delivery = pending.acknowledge(packetId);
    gate.inFlight(pending.size());
    if (delivery == null) {
      log.debug("mqtt PUBACK for unknown packet id {} conn={}", packetId, connection.id());
      return;
    }
    Settlement settlement = InboxSettlement.forPubAck(ack);
    if (settlement == Settlement.ABANDON) {
      rotation.pause(delivery.deviceId());
      refreshDirect();
      log.info("mqtt inbox paused until resubscribed or the next idle poll: the client could not take the message"
          + " now (PUBACK 0x80) conn={} device={} inbox={}", connection.id(), connection.deviceId(), delivery.deviceId());
    }
    settler.settle(settlement, delivery.deviceId(), delivery.lockToken());
    pull();
  }

  private void timedOut(Delivery delivery) {
    gate.inFlight(pending.size());
    log.info("mqtt no PUBACK within the lock duration conn={} device={} inbox={} packetId={}", connection.id(),
        connection.deviceId(), delivery.deviceId(), delivery.packetId());
    settler.settle(Settlement.ABANDON, delivery.deviceId(), delivery.lockToken());
    pull();
  }

  private void startIdlePoll() {
    if (idlePoll != null || closed) {
      return;
    }
    long period = IDLE_POLL.toMillis();
    idlePoll = ctx.executor().scheduleAtFixedRate(() -> {
      rotation.pollAll();
      refreshDirect();
      pull();
    }, period, period, TimeUnit.MILLISECONDS);
  }

  private void retryLater() {
    if (retryScheduled || closed) {
      return;
    }
    retryScheduled = true;
    ctx.executor().schedule(() -> {
      retryScheduled = false;
      pull();
    }, RETRY_AFTER_FAILURE.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void onEventLoop(Runnable task) {
    onEventLoop(task, () -> { });
  }

  /** Runs {@code task} on the connection's event loop, or {@code gone} here if that loop is shut down. */
  private void onEventLoop(Runnable task, Runnable gone) {
    try {
      ctx.executor().execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("event loop gone conn={}", connection.id());
      gone.run();
    }
  }
}
