package io.gatehouse.edge.local.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;

/** Why a CONNECT was refused: the CONNACK code for each protocol version, and the phrase reported upstream. */
enum ConnectRefusal {
  /** MQTT 3.1 (and anything else the decoder knows but this endpoint does not serve). */
  UNSUPPORTED_VERSION("protocol version other than MQTT 3.1.1 or 5",
      MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
      MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION),
  CLIENT_ID_INVALID("client id is empty or not a valid leaf id",
      MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
      MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID),
  NO_CREDENTIALS("no username or password", MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
      MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5),
  USERNAME_MISMATCH("username differs from the client id", MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
      MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5),
  UNKNOWN_LEAF("unknown leaf id", MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
      MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD),
  WRONG_PASSWORD("wrong password", MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
      MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD),
  /** MQTT 5 only: enhanced authentication (an Authentication Method) is not offered. */
  BAD_AUTHENTICATION_METHOD("enhanced authentication requested",
      MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
      MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD);

  private final String reason;
  private final MqttConnectReturnCode v3;
  private final MqttConnectReturnCode v5;

  ConnectRefusal(String reason, MqttConnectReturnCode v3, MqttConnectReturnCode v5) {
    this.reason = reason;
    this.v3 = v3;
    this.v5 = v5;
  }

  String reason() {
    return reason;
  }

  MqttConnectReturnCode code(boolean mqtt5) {
    return mqtt5 ? v5 : v3;
  }
}
