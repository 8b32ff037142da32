package io.gatehouse.server.mqtt;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The inboxes one connection is subscribed to, and which of them to pull next. An inbox is
 * <em>ready</em> while it may hold a message: when subscribed, when told it changed, after a pull
 * that found as many messages as it asked for (there may be more), and at every idle poll. Ready
 * inboxes take turns in round-robin order, so one busy leaf cannot starve its siblings on a field
 * gateway's connection.
 *
 * <p>A <em>paused</em> inbox is one whose client answered "not now" (MQTT 5 PUBACK 0x80): it is
 * not ready again, whatever changes, until it is subscribed again or the next idle poll, so a
 * client that cannot hand messages on does not get them redelivered in a tight loop.
 *
 * <p>Used on the connection's event loop only.
 */
final class InboxRotation {
  private final Set<String> subscribed = new LinkedHashSet<>();
  private final Set<String> paused = new HashSet<>();
  /** Insertion order is turn order; a device already waiting keeps its place. */
  private final LinkedHashSet<String> ready = new LinkedHashSet<>();

  /** Subscribed, or subscribed again: ready, and no longer paused. */
  void subscribe(String deviceId) {
    subscribed.add(deviceId);
    paused.remove(deviceId);
    ready.add(deviceId);
  }

  void unsubscribe(String deviceId) {
    subscribed.remove(deviceId);
    paused.remove(deviceId);
    ready.remove(deviceId);
  }

  boolean isSubscribed(String deviceId) {
    return subscribed.contains(deviceId);
  }

  boolean isPaused(String deviceId) {
    return paused.contains(deviceId);
  }

  /** The inbox may hold a message (one arrived, or a pull just found one): its turn comes, unless paused. */
  void changed(String deviceId) {
    if (subscribed.contains(deviceId) && !paused.contains(deviceId)) {
      ready.add(deviceId);
    }
  }

  /** The client cannot take this inbox's messages now: skip it until renewed or the next idle poll. */
  void pause(String deviceId) {
    if (subscribed.contains(deviceId)) {
      paused.add(deviceId);
      ready.remove(deviceId);
    }
  }

  /** The idle poll: every subscribed inbox is looked at again, paused ones included. */
  void pollAll() {
    paused.clear();
    ready.addAll(subscribed);
  }

  /** Whose turn it is, taken out of the ready set; null if no inbox is ready. */
  String next() {
    return ready.isEmpty() ? null : ready.removeFirst();
  }
}
