package io.gatehouse.server.mqtt;

import io.gatehouse.core.message.InboxMessage;
import java.util.Optional;

/**
 * The topic filters devices may subscribe to, and the topic inbox messages are delivered on.
 * Only the exact filters Azure IoT Hub accepts are served; {@code #} there only stands for "any
 * property bag", so no other wildcard use is granted. Whose inbox a client may subscribe to (its
 * own; an edge's also its leaves') is the inbox service's decision, not the topic's.
 */
final class DeviceTopics {
  private static final String INBOX_PREFIX = "devices/";
  private static final String INBOX_SUFFIX = "/messages/devicebound/#";

  /** What a served filter is for. */
  sealed interface Subscription {
    /** {@code devices/{deviceId}/messages/devicebound/#}: the inbox of {@code deviceId}. */
    record Inbox(String deviceId) implements Subscription {}

    /** Granted so that SDKs subscribing to twins and methods do not fail; nothing is sent on them yet. */
    enum Feature implements Subscription { TWIN_RESPONSES, TWIN_DESIRED_PATCHES, DIRECT_METHODS }
  }

  private DeviceTopics() {}

  /** What {@code filter} is for, or empty if it is not one the endpoint serves. */
  static Optional<Subscription> classify(String filter) {
    return switch (filter) {
      case "$iothub/twin/res/#" -> Optional.of(Subscription.Feature.TWIN_RESPONSES);
      case "$iothub/twin/PATCH/properties/desired/#" -> Optional.of(Subscription.Feature.TWIN_DESIRED_PATCHES);
      case "$iothub/methods/POST/#" -> Optional.of(Subscription.Feature.DIRECT_METHODS);
      default -> inboxOf(filter).map(Subscription.Inbox::new);
    };
  }

  static String deviceboundFilter(String deviceId) {
    return INBOX_PREFIX + deviceId + INBOX_SUFFIX;
  }

  static String deviceboundTopic(InboxMessage message) {
    return "devices/" + message.deviceId() + "/messages/devicebound/" + PropertyBag.encodeCloudToDevice(message);
  }

  /** The device whose inbox filter this is; a wildcard or a slash in the id place is no device. */
  private static Optional<String> inboxOf(String filter) {
    if (!filter.startsWith(INBOX_PREFIX) || !filter.endsWith(INBOX_SUFFIX)
        || filter.length() <= INBOX_PREFIX.length() + INBOX_SUFFIX.length()) {
      return Optional.empty();
    }
    String deviceId = filter.substring(INBOX_PREFIX.length(), filter.length() - INBOX_SUFFIX.length());
    boolean single = deviceId.indexOf('/') < 0 && deviceId.indexOf('+') < 0 && deviceId.indexOf('#') < 0;
    return single ? Optional.of(deviceId) : Optional.empty();
  }
}
