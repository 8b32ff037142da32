package io.gatehouse.server.mqtt;

import io.gatehouse.mqtt.KeepAlive;
import io.gatehouse.server.http.JsonCodec;
import io.gatehouse.server.mqtt.MqttConnection.CloseCause;
import io.gatehouse.server.mqtt.MqttConnection.ReadPause;
import io.gatehouse.server.provisioning.DpsAnswers;
import io.gatehouse.server.provisioning.DpsErrorCode;
import io.gatehouse.server.provisioning.DpsException;
import io.gatehouse.server.provisioning.ProvisioningService;
import io.gatehouse.server.provisioning.RegistrationOutcome;
import io.gatehouse.server.transport.PeerCertificates;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure DPS over MQTT (azure-iot-facts §4.5) on the device port. It sits before {@code connect}:
 * a CONNECT whose user name is a registration's ({@code {idScope}/registrations/{registrationId}/api-version=…},
 * no {@code ?}) takes the connection over, and the device handlers leave the pipeline; any other
 * CONNECT passes on and this handler leaves instead.
 *
 * <p>The CONNECT's credential (password = registration SAS token, or the client certificate) is
 * checked as a register call would check it; then the client may subscribe to
 * {@code $dps/registrations/res/#} only, and publish register and operation-status requests. Each
 * request runs through the same {@link ProvisioningService} as HTTPS, one at a time (reading pauses
 * meanwhile), and its answer is published to {@code $dps/registrations/res/{status}/?$rid={rid}}
 * at QoS 0, in the same JSON shapes. DPS treats every session as clean: nothing outlives the connection.
 */
final class ProvisioningSessionHandler extends ChannelInboundHandlerAdapter {
  static final Pattern USER_NAME = Pattern.compile("([^/]+)/registrations/([^/]+)/api-version=[^/]*");
  static final String RESPONSES = "$dps/registrations/res/#";
  private static final Pattern REGISTER = Pattern.compile("\\$dps/registrations/PUT/iotdps-register/\\?\\$rid=([^&]{1,64})");
  private static final Pattern STATUS = Pattern.compile(
      "\\$dps/registrations/GET/iotdps-get-operationstatus/\\?\\$rid=([^&]{1,64})&operationId=([^&]{1,128})");
  private static final List<String> DEVICE_HANDLERS = List.of("connect", "telemetry", "subscriptions", "inbox");

  private enum Phase { AWAITING_CONNECT, CONNECTING, ACTIVE }

  private final ProvisioningService service;
  private final DpsAnswers answers;
  private final JsonCodec json;
  private final Executor blocking;
  private final MqttConnection connection;
  private final Duration maxKeepAlive;
  private Phase phase = Phase.AWAITING_CONNECT;
  private ProvisioningService.Call call;

  ProvisioningSessionHandler(ProvisioningService service, DpsAnswers answers, JsonCodec json, Executor blocking,
      MqttConnection connection, Duration maxKeepAlive) {
    this.service = service;
    this.answers = answers;
    this.json = json;
    this.blocking = blocking;
    this.connection = connection;
    this.maxKeepAlive = maxKeepAlive;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    switch (phase) {
      case AWAITING_CONNECT -> {
        // ProtocolGate lets nothing but a CONNECT be the first packet.
        MqttConnectMessage connect = (MqttConnectMessage) msg;
        Matcher user = USER_NAME.matcher(connect.payload().userName() == null ? "" : connect.payload().userName());
        if (!user.matches()) {
          ctx.pipeline().remove(this);
          ctx.fireChannelRead(msg);
          return;
        }
        DEVICE_HANDLERS.forEach(name -> {
          if (ctx.pipeline().get(name) != null) {
            ctx.pipeline().remove(name);
          }
        });
        phase = Phase.CONNECTING;
        try {
          connect(ctx, connect, user.group(1), user.group(2));
        } finally {
          ReferenceCountUtil.release(msg);
        }
      }
      case CONNECTING -> {
        ReferenceCountUtil.release(msg);
        connection.violation(MqttRefusal.PROTOCOL_ERROR, "mqtt.protocol", "a packet before CONNACK",
            Disconnect.PROTOCOL_ERROR);
      }
      case ACTIVE -> {
        switch (msg) {
          case MqttSubscribeMessage subscribe -> subscribe(ctx, subscribe);
          case MqttUnsubscribeMessage unsubscribe -> {
            ctx.writeAndFlush(MqttMessageBuilders.unsubAck()
                .packetId(unsubscribe.idAndPropertiesVariableHeader().messageId()).build());
            ReferenceCountUtil.release(msg);
          }
          case MqttPublishMessage publish -> {
            try {
              request(ctx, publish);
            } finally {
              ReferenceCountUtil.release(msg);
            }
          }
          default -> ctx.fireChannelRead(msg); // PINGREQ, DISCONNECT, protocol errors: the control handler
        }
      }
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event == MqttEvent.SHUTDOWN && phase != Phase.AWAITING_CONNECT) {
      connection.terminate(Disconnect.SERVER_SHUTTING_DOWN, "the server is shutting down");
    }
    ctx.fireUserEventTriggered(event);
  }

  private void connect(ChannelHandlerContext ctx, MqttConnectMessage connect, String idScope, String registrationId) {
    String clientId = connect.payload().clientIdentifier();
    connection.connecting(connect.variableHeader().version() == 5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1,
        clientId);
    if (!registrationId.equals(clientId)) {
      refuse(ConnectRefusal.CLIENT_ID_INVALID, "a provisioning client's ClientId must be its registration id '"
          + registrationId + "', not '" + clientId + "'", false);
      return;
    }
    if (connect.variableHeader().isWillFlag()) {
      refuse(ConnectRefusal.NOT_AUTHORIZED, "a provisioning connection has no will message", false);
      return;
    }
    String password = connect.variableHeader().hasPassword()
        ? new String(connect.payload().passwordInBytes(), StandardCharsets.UTF_8) : null;
    call = new ProvisioningService.Call(idScope, registrationId, password, PeerCertificates.presented(ctx), connection.source());
    int keepAlive = KeepAlive.granted(connect.variableHeader().keepAliveTimeSeconds(), maxKeepAlive);
    connection.pauseReading(ReadPause.AUTHENTICATING);
    offload(ctx, () -> {
      service.admitConnection(call);
      return null;
    }, ignored -> accepted(ctx, keepAlive), failure -> refuse(refusal(failure), failure.getMessage(), true));
  }

  private void accepted(ChannelHandlerContext ctx, int keepAlive) {
    phase = Phase.ACTIVE;
    MqttProperties properties = new MqttProperties();
    if (connection.isV5()) {
      properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.MAXIMUM_QOS.value(), 1));
      properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.RETAIN_AVAILABLE.value(), 0));
      properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.SERVER_KEEP_ALIVE.value(), keepAlive));
    }
    ctx.writeAndFlush(MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
        .sessionPresent(false).properties(properties).build());
    MqttPipeline.startKeepAlive(ctx.pipeline(), KeepAlive.enforcedAfter(keepAlive));
    ctx.pipeline().fireUserEventTriggered(MqttEvent.SESSION_ESTABLISHED);
    connection.resumeReading(ReadPause.AUTHENTICATING);
  }

  private void subscribe(ChannelHandlerContext ctx, MqttSubscribeMessage subscribe) {
    List<MqttTopicSubscription> filters = subscribe.payload().topicSubscriptions();
    int[] codes = new int[filters.size()];
    for (int i = 0; i < codes.length; i++) {
      MqttTopicSubscription filter = filters.get(i);
      if (RESPONSES.equals(filter.topicFilter())) {
        codes[i] = Math.min(filter.qualityOfService().value(), MqttQoS.AT_LEAST_ONCE.value());
      } else {
        connection.refuse(MqttRefusal.SUBSCRIPTION_DENIED, "mqtt.subscribe", "SUBSCRIBE to '" + filter.topicFilter()
            + "' refused: a provisioning client subscribes to " + RESPONSES + " only");
        codes[i] = connection.isV5() ? MqttReasonCodes.SubAck.NOT_AUTHORIZED.byteValue() & 0xff
            : MqttQoS.FAILURE.value();
      }
    }
    ctx.writeAndFlush(new MqttSubAckMessage(new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE,
        false, 0), new MqttMessageIdAndPropertiesVariableHeader(subscribe.idAndPropertiesVariableHeader().messageId(),
        MqttProperties.NO_PROPERTIES), new MqttSubAckPayload(codes)));
    ReferenceCountUtil.release(subscribe);
  }

  private void request(ChannelHandlerContext ctx, MqttPublishMessage publish) {
    if (publish.fixedHeader().qosLevel() == MqttQoS.EXACTLY_ONCE) {
      connection.violation(MqttRefusal.QOS_NOT_SUPPORTED, "mqtt.publish", "PUBLISH at QoS 2",
          Disconnect.QOS_NOT_SUPPORTED);
      return;
    }
    String topic = publish.variableHeader().topicName();
    int packetId = publish.variableHeader().packetId();
    boolean acknowledge = publish.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE;
    Matcher register = REGISTER.matcher(topic);
    Matcher status = STATUS.matcher(topic);
    Supplier<RegistrationOutcome> work;
    String rid;
    if (register.matches()) {
      rid = register.group(1);
      byte[] body = ByteBufUtil.getBytes(publish.payload());
      work = () -> service.register(call, body);
    } else if (status.matches()) {
      rid = status.group(1);
      String operationId = status.group(2);
      work = () -> service.operation(call, operationId);
    } else {
      connection.violation(MqttRefusal.UNSERVED_TOPIC, "mqtt.publish", "PUBLISH to '" + topic + "': a provisioning "
          + "client publishes only $dps/registrations/PUT/iotdps-register/?$rid={n} and "
          + "$dps/registrations/GET/iotdps-get-operationstatus/?$rid={n}&operationId={id}",
          Disconnect.TOPIC_NAME_INVALID);
      return;
    }
    connection.pauseReading(ReadPause.PROVISIONING);
    offload(ctx, () -> answers.of(work.get()), answer -> answer(ctx, rid, answer, acknowledge, packetId),
        failure -> answer(ctx, rid, failure instanceof DpsException e
            ? answers.error(e.code(), e.getMessage(), UUID.randomUUID().toString())
            : answers.error(DpsErrorCode.INTERNAL, "the provisioning service failed", UUID.randomUUID().toString()),
            acknowledge, packetId));
  }

  private void answer(ChannelHandlerContext ctx, String rid, DpsAnswers.Answer answer, boolean acknowledge,
      int packetId) {
    if (acknowledge) {
      ctx.write(MqttMessageBuilders.pubAck().packetId(packetId).build());
    }
    ctx.writeAndFlush(MqttMessageBuilders.publish()
        .topicName("$dps/registrations/res/" + answer.status() + "/?$rid=" + rid)
        .qos(MqttQoS.AT_MOST_ONCE).retained(false)
        .payload(Unpooled.wrappedBuffer(json.write(answer.body()))).build());
    connection.resumeReading(ReadPause.PROVISIONING);
  }

  private interface Outcome<T> {
    void accept(T value);
  }

  /** Runs {@code work} (it blocks on the store) off the event loop; its outcome back on it. */
  private <T> void offload(ChannelHandlerContext ctx, Supplier<T> work, Outcome<T> done, Outcome<RuntimeException> failed) {
    try {
      blocking.execute(() -> {
        Runnable result;
        try {
          T value = work.get();
          result = () -> done.accept(value);
        } catch (RuntimeException e) {
          result = () -> failed.accept(e);
        }
        Runnable outcome = result;
        try {
          ctx.executor().execute(() -> {
            if (ctx.channel().isActive() && !connection.isClosing()) {
              outcome.run();
            }
          });
        } catch (RejectedExecutionException e) {
          ctx.channel().close();
        }
      });
    } catch (RejectedExecutionException e) {
      refuse(ConnectRefusal.SERVER_UNAVAILABLE, "the server is closing", true);
    }
  }

  /** The provisioning service audited the precise reason; the client gets the code. */
  private static ConnectRefusal refusal(RuntimeException failure) {
    if (!(failure instanceof DpsException dps)) {
      return ConnectRefusal.SERVER_UNAVAILABLE;
    }
    return switch (dps.status()) {
      case 401 -> ConnectRefusal.BAD_CREDENTIALS;
      case 400 -> ConnectRefusal.CLIENT_ID_INVALID;
      case 429, 500, 501 -> ConnectRefusal.SERVER_UNAVAILABLE;
      default -> ConnectRefusal.NOT_AUTHORIZED;
    };
  }

  /** @param audited whether the provisioning service wrote the audit line already (else it is written here) */
  private void refuse(ConnectRefusal refusal, String detail, boolean audited) {
    if (audited) {
      connection.count(MqttRefusal.AUTHENTICATION_FAILED, detail);
    } else {
      connection.refuse(MqttRefusal.CONNECT_INVALID, "dps.mqtt.connect", detail);
    }
    MqttConnAckMessage connAck = MqttMessageBuilders.connAck().returnCode(refusal.code(connection.isV5()))
        .sessionPresent(false).build();
    connection.closeAfter(connAck, CloseCause.PROTOCOL_VIOLATION);
  }


}
