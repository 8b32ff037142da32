package io.gatehouse.edge.local.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;

/**
 * User event: the leaf's subscription to its command topic changed (fired after the SUBACK or
 * UNSUBACK). {@code grantedQos} is null once unsubscribed.
 */
record CommandSubscription(MqttQoS grantedQos) {
  boolean active() {
    return grantedQos != null;
  }
}
