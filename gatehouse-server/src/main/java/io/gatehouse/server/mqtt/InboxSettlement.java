package io.gatehouse.server.mqtt;

import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;

/** What becomes of an inbox message delivered over MQTT. */
enum InboxSettlement {
  /** Done with: removed from the inbox (feedback Success). */
  COMPLETE,
  /** Back to the inbox for a later delivery; its delivery count was raised when it was locked. */
  ABANDON,
  /** Dead-lettered (feedback Rejected). */
  REJECT;

  /** MQTT 5 PUBACK 0x80 Unspecified error: the client could not hand the message on right now. */
  static final int NOT_NOW = 0x80;

  /**
   * What the client's PUBACK says: over MQTT 3.1.1 a PUBACK is the only answer, so it completes; an
   * MQTT 5 success code (below 0x80) completes too. 0x80 (Unspecified error) means "could not hand
   * it on right now" (a field gateway whose leaf is offline) and abandons; any other error code
   * refuses the message for good and rejects it.
   */
  static InboxSettlement forPubAck(MqttPubAckMessage ack) {
    if (!(ack.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply)) {
      return COMPLETE;
    }
    int code = reply.reasonCode() & 0xff;
    if (code < 0x80) {
      return COMPLETE;
    }
    return code == NOT_NOW ? ABANDON : REJECT;
  }
}
