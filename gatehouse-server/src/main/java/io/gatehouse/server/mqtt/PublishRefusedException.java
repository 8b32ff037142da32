package io.gatehouse.server.mqtt;

import io.netty.handler.codec.mqtt.MqttReasonCodes.PubAck;

/** A device's PUBLISH is refused: why (counted and audited), the MQTT 5 PUBACK code, and the detail as message. */
final class PublishRefusedException extends Exception {
  private final MqttRefusal reason;
  private final PubAck code;

  PublishRefusedException(MqttRefusal reason, PubAck code, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
    this.code = code;
  }

  MqttRefusal reason() {
    return reason;
  }

  PubAck code() {
    return code;
  }
}
