package io.gatehouse.server.mqtt;

/**
 * The will a client left in CONNECT. As in Azure IoT Hub it may only name the device's own events
 * topic, and is stored as telemetry (application property {@code iothub-MessageType=Will}) when
 * the connection ends without a DISCONNECT.
 */
record WillMessage(String topic, byte[] payload, boolean retain) {
  WillMessage {
    payload = payload == null ? new byte[0] : payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }
}
