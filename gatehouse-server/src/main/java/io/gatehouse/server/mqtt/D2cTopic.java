package io.gatehouse.server.mqtt;

import java.util.Optional;

/**
 * A device-to-cloud topic: {@code devices/{deviceId}/messages/events/} with an optional property
 * bag after it, accepted with or without the trailing slash, and with a slash after the bag (as
 * Java SDK modules send it). A bag may contain raw slashes (clients that do not encode values, such
 * as {@code $.ct=application/json}), so everything after {@code events/} is the bag. The device id is whatever the topic names; whether the sender may
 * publish as that device is the ingest's decision.
 */
record D2cTopic(String deviceId, String propertyBag) {
  private static final String PREFIX = "devices/";
  private static final String EVENTS = "/messages/events";

  static Optional<D2cTopic> parse(String topic) {
    if (!topic.startsWith(PREFIX)) {
      return Optional.empty();
    }
    int slash = topic.indexOf('/', PREFIX.length());
    if (slash <= PREFIX.length()) {
      return Optional.empty();
    }
    String deviceId = topic.substring(PREFIX.length(), slash);
    String rest = topic.substring(slash);
    if (rest.equals(EVENTS) || rest.equals(EVENTS + "/")) {
      return Optional.of(new D2cTopic(deviceId, ""));
    }
    if (!rest.startsWith(EVENTS + "/")) {
      return Optional.empty();
    }
    String bag = rest.substring(EVENTS.length() + 1);
    if (bag.endsWith("/")) {
      bag = bag.substring(0, bag.length() - 1);
    }
    return Optional.of(new D2cTopic(deviceId, bag));
  }

  static String eventsTopic(String deviceId) {
    return PREFIX + deviceId + EVENTS + "/";
  }
}
