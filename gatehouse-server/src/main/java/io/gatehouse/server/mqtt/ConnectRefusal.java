package io.gatehouse.server.mqtt;

import io.gatehouse.server.device.DeviceAuthException;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;

/**
 * Why a CONNECT was refused, with the CONNACK code for each protocol version. Azure device SDKs
 * treat 0x04 and 0x05 as final (no retry) and 0x03 as retryable.
 */
enum ConnectRefusal {
  CLIENT_ID_INVALID(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
      MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID),
  BAD_CREDENTIALS(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
      MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD),
  NOT_AUTHORIZED(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
      MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5),
  /** No usable credential: neither a SAS token nor a client certificate, or MQTT 5 enhanced auth. */
  BAD_AUTHENTICATION_METHOD(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
      MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD),
  SERVER_UNAVAILABLE(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
      MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5),
  /** MQTT 5 only: a retained will after the server announces Retain Available 0. */
  RETAIN_NOT_SUPPORTED(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
      MqttConnectReturnCode.CONNECTION_REFUSED_RETAIN_NOT_SUPPORTED),
  /** MQTT 5 only: a will at QoS 2 after the server announces Maximum QoS 1. */
  QOS_NOT_SUPPORTED(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
      MqttConnectReturnCode.CONNECTION_REFUSED_QOS_NOT_SUPPORTED);

  private final MqttConnectReturnCode v3;
  private final MqttConnectReturnCode v5;

  ConnectRefusal(MqttConnectReturnCode v3, MqttConnectReturnCode v5) {
    this.v3 = v3;
    this.v5 = v5;
  }

  MqttConnectReturnCode code(boolean mqtt5) {
    return mqtt5 ? v5 : v3;
  }

  /** MALFORMED from the authenticator concerns the credential: the client id was checked before. */
  static ConnectRefusal of(DeviceAuthException.Reason reason) {
    return switch (reason) {
      case MALFORMED -> BAD_AUTHENTICATION_METHOD;
      case BAD_CREDENTIALS -> BAD_CREDENTIALS;
      case NOT_AUTHORIZED -> NOT_AUTHORIZED;
    };
  }
}
