package io.gatehouse.server.mqtt;

import io.gatehouse.core.message.InboxMessage;
import java.util.Optional;

/**
 * The topic filters a device may subscribe to, and the topic inbox messages are delivered on.
 * Only the exact filters Azure IoT Hub accepts are allowed; {@code #} there only stands for "any
 * property bag", so no other wildcard use is granted.
 */
final class DeviceTopics {
  /** What a granted filter is for. Only {@link #DEVICEBOUND} carries messages yet. */
  enum Subscription {
    DEVICEBOUND,
    /** Granted so that SDKs subscribing to twins and methods do not fail; nothing is sent yet. */
    TWIN_RESPONSES,
    TWIN_DESIRED_PATCHES,
    DIRECT_METHODS
  }

  private DeviceTopics() {}

  static Optional<Subscription> classify(String filter, String deviceId) {
    if (filter.equals(deviceboundFilter(deviceId))) {
      return Optional.of(Subscription.DEVICEBOUND);
    }
    return switch (filter) {
      case "$iothub/twin/res/#" -> Optional.of(Subscription.TWIN_RESPONSES);
      case "$iothub/twin/PATCH/properties/desired/#" -> Optional.of(Subscription.TWIN_DESIRED_PATCHES);
      case "$iothub/methods/POST/#" -> Optional.of(Subscription.DIRECT_METHODS);
      default -> Optional.empty();
    };
  }

  static String deviceboundFilter(String deviceId) {
    return "devices/" + deviceId + "/messages/devicebound/#";
  }

  static String deviceboundTopic(InboxMessage message) {
    return "devices/" + message.deviceId() + "/messages/devicebound/" + PropertyBag.encodeCloudToDevice(message);
  }
}
