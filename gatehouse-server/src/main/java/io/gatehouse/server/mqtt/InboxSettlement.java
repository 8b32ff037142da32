package io.gatehouse.server.mqtt;

import io.gatehouse.store.Inbox.Settlement;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;

/** What a client's PUBACK makes of an inbox message delivered over MQTT. */
final class InboxSettlement {
  /** MQTT 5 PUBACK 0x80 Unspecified error: the client could not hand the message on right now. */
  static final int NOT_NOW = 0x80;

  private InboxSettlement() {}

  /**
   * What the client's PUBACK says: over MQTT 3.1.1 a PUBACK is the only answer, so it completes; an
   * MQTT 5 success code (below 0x80) completes too. 0x80 (Unspecified error) means "could not hand
   * it on right now" (a field gateway whose leaf is offline) and abandons: back to the inbox for a
   * later delivery, its delivery count raised when it was locked. Any other error code refuses the
   * message for good and rejects it (dead-lettered, feedback Rejected).
   */
  static Settlement forPubAck(MqttPubAckMessage ack) {
    if (!(ack.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply)) {
      return Settlement.COMPLETE;
    }
    int code = reply.reasonCode() & 0xff;
    if (code < 0x80) {
      return Settlement.COMPLETE;
    }
    return code == NOT_NOW ? Settlement.ABANDON : Settlement.REJECT;
  }
}
