package io.gatehouse.server.mqtt;

import io.gatehouse.core.audit.AuditEvent.Outcome;
import io.gatehouse.server.audit.AuditLog;
import io.gatehouse.server.device.AuthenticatedDevice;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the handlers of one connection share: the protocol version, the device once the session is
 * established, and the ways to refuse or end the connection with the right reason code. One per
 * connection; used only on the channel's event loop.
 */
final class MqttConnection {
  /** Who wants reading paused; reading resumes when nobody does. */
  enum ReadPause { AUTHENTICATING, INBOUND_WINDOW, SHUTTING_DOWN, CLOSING, PROVISIONING }

  /** Why the connection ended, which decides whether the will message is published. */
  enum CloseCause {
    /** The network went away, or the client closed without DISCONNECT. */
    LOST,
    CLIENT_DISCONNECT,
    CLIENT_DISCONNECT_WITH_WILL,
    PROTOCOL_VIOLATION,
    KEEP_ALIVE_TIMEOUT,
    /** Takeover, revocation, credential expiry, shutdown: the server ended a healthy session. */
    SERVER_TERMINATED;

    boolean publishesWill() {
      return this != CLIENT_DISCONNECT && this != SERVER_TERMINATED;
    }
  }

  /**
   * What an MQTT 5 client said it can take; MQTT 3.1.1 clients announce nothing.
   *
   * @param requestProblemInformation false if the client asked for no reason strings outside
   *     CONNACK, PUBLISH and DISCONNECT
   */
  record ClientLimits(int receiveMaximum, int maximumPacketSize, boolean requestProblemInformation) {
    static final ClientLimits UNANNOUNCED = new ClientLimits(65_535, 268_435_460, true);
  }

  private static final Logger log = LoggerFactory.getLogger(MqttConnection.class);
  private static final int MAX_REASON_STRING = 200;

  private final Channel channel;
  private final String id;
  private final String source;
  private final MqttRefusals refusals;
  private final AuditLog audit;
  private final EnumSet<ReadPause> pauses = EnumSet.noneOf(ReadPause.class);
  private MqttVersion version;
  private String claimedId;
  private AuthenticatedDevice device;
  private ClientLimits limits = ClientLimits.UNANNOUNCED;
  private WillMessage will;
  private int inboundWindow = 1;
  private boolean closing;
  private CloseCause closeCause = CloseCause.LOST;

  MqttConnection(Channel channel, MqttRefusals refusals, AuditLog audit) {
    this.channel = channel;
    this.id = channel.id().asShortText();
    this.source = String.valueOf(channel.remoteAddress());
    this.refusals = refusals;
    this.audit = audit;
  }

  Channel channel() {
    return channel;
  }

  /** Short connection id for logs. */
  String id() {
    return id;
  }

  /** Remote address, for audit lines. */
  String source() {
    return source;
  }

  void connecting(MqttVersion connectVersion, String clientId) {
    this.version = connectVersion;
    this.claimedId = clientId;
  }

  boolean isV5() {
    return version == MqttVersion.MQTT_5;
  }

  void establish(AuthenticatedDevice authenticated, ClientLimits clientLimits, WillMessage willMessage,
      int receiveMaximum) {
    this.device = authenticated;
    this.limits = clientLimits;
    this.will = willMessage;
    this.inboundWindow = receiveMaximum;
  }

  /** QoS 1 publishes this session may have unacknowledged (the Receive Maximum granted at CONNACK). */
  int inboundWindow() {
    return inboundWindow;
  }

  boolean isEstablished() {
    return device != null;
  }

  AuthenticatedDevice device() {
    return device;
  }

  String deviceId() {
    return device == null ? claimedId : device.id();
  }

  ClientLimits limits() {
    return limits;
  }

  WillMessage will() {
    return will;
  }

  /** True once the server decided to end the connection: input still buffered is discarded. */
  boolean isClosing() {
    return closing;
  }

  CloseCause closeCause() {
    return closeCause;
  }

  /** Audits the end of an established session, with why it ended (client, network, server). */
  void auditDisconnect() {
    audit.inBackground("device:" + deviceId(), "mqtt.disconnect", "device:" + deviceId(),
        io.gatehouse.core.audit.AuditEvent.Outcome.SUCCESS,
        "cause " + closeCause.name().toLowerCase(java.util.Locale.ROOT), source);
  }

  /** Counts and audits a refusal that leaves the connection open (an MQTT 5 negative acknowledgement). */
  void refuse(MqttRefusal reason, String action, String detail) {
    refusals.increment(reason);
    String actor = deviceId() == null ? "anonymous" : "device:" + deviceId();
    log.info("mqtt refused conn={} device={} reason={} detail=\"{}\"", id, deviceId(), reason, detail);
    audit.inBackground(actor, action, deviceId() == null ? "mqtt" : "device:" + deviceId(),
        reason.isDenial() ? Outcome.DENIED : Outcome.FAILURE, detail, source);
  }

  /** Counts without an audit line, for events anyone can cause in bulk (idle sockets). */
  void count(MqttRefusal reason, String detail) {
    refusals.increment(reason);
    log.debug("mqtt closing conn={} device={} reason={} detail=\"{}\"", id, deviceId(), reason, detail);
  }

  /**
   * Refuses and ends the connection: MQTT 5 clients get a DISCONNECT with {@code code} and the
   * detail as reason string; MQTT 3.1.1 has no such packet, so the connection is simply closed.
   */
  /**
   * The framing of the byte stream broke the rules (a packet over the maximum, a remaining length
   * over 4 bytes). Before CONNECT the version is unknown and there is nobody to tell: it just closes.
   */
  void framingViolation(Disconnect code, String detail) {
    MqttRefusal reason = code == Disconnect.PACKET_TOO_LARGE ? MqttRefusal.PACKET_TOO_LARGE : MqttRefusal.MALFORMED_PACKET;
    violation(reason, "mqtt.protocol", detail, code);
  }

  void violation(MqttRefusal reason, String action, String detail, Disconnect code) {
    if (closing) {
      return;
    }
    refuse(reason, action, detail);
    end(code, detail, CloseCause.PROTOCOL_VIOLATION);
  }

  /** No packet within 1.5 times the keep-alive: counted, not audited (a device going offline is routine). */
  void keepAliveExpired(String detail) {
    if (closing) {
      return;
    }
    count(MqttRefusal.KEEP_ALIVE_TIMEOUT, detail);
    end(Disconnect.KEEP_ALIVE_TIMEOUT, detail, CloseCause.KEEP_ALIVE_TIMEOUT);
  }

  /** Ends a healthy session from the server side (takeover, revocation, expiry, shutdown). */
  void terminate(Disconnect code, String why) {
    if (closing) {
      return;
    }
    log.info("mqtt session ended conn={} device={} reason={} code=0x{}", id, deviceId(), why,
        Integer.toHexString(code.byteValue() & 0xff));
    end(code, why, CloseCause.SERVER_TERMINATED);
  }

  /** Closes without a DISCONNECT (before CONNECT, or after a refused CONNACK). */
  void close(CloseCause cause) {
    if (closing) {
      return;
    }
    closing = true;
    closeCause = cause;
    pauseReading(ReadPause.CLOSING);
    channel.close();
  }

  /** Sends a last packet (a refusing CONNACK), then closes. */
  void closeAfter(Object lastPacket, CloseCause cause) {
    if (closing) {
      ReferenceCountUtil.release(lastPacket);
      return;
    }
    closing = true;
    closeCause = cause;
    pauseReading(ReadPause.CLOSING);
    channel.writeAndFlush(lastPacket).addListener(ChannelFutureListener.CLOSE);
  }

  void clientDisconnected(boolean withWill) {
    closing = true;
    closeCause = withWill ? CloseCause.CLIENT_DISCONNECT_WITH_WILL : CloseCause.CLIENT_DISCONNECT;
    channel.close();
  }

  void pauseReading(ReadPause why) {
    if (pauses.add(why) && pauses.size() == 1) {
      channel.config().setAutoRead(false);
    }
  }

  void resumeReading(ReadPause why) {
    if (pauses.remove(why) && pauses.isEmpty()) {
      channel.config().setAutoRead(true); // also asks for the next read
    }
  }

  private void end(Disconnect code, String reasonString, CloseCause cause) {
    closing = true;
    closeCause = cause;
    pauseReading(ReadPause.CLOSING);
    if (isV5() && channel.isActive()) {
      MqttProperties properties = new MqttProperties();
      properties.add(new MqttProperties.StringProperty(MqttProperties.MqttPropertyType.REASON_STRING.value(),
          clip(reasonString)));
      channel.write(MqttMessageBuilders.disconnect().reasonCode(code.byteValue()).properties(properties).build());
    }
    // SslHandler flushes what is pending, sends close_notify, then closes (bounded by its flush timeout).
    channel.flush();
    channel.close();
  }

  /** {@code text} cut to the length the server sends as a reason string. */
  static String clip(String text) {
    return text.length() <= MAX_REASON_STRING ? text : text.substring(0, MAX_REASON_STRING - 1) + "…";
  }
}
