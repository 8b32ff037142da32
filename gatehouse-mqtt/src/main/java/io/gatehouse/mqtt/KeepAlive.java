package io.gatehouse.mqtt;

import java.time.Duration;

/** The keep-alive a server grants a client, announced in the CONNACK (MQTT 5) and enforced at 1.5 times. */
public final class KeepAlive {
  private KeepAlive() {}

  /**
   * 0 ("no keep-alive") and anything above {@code max} get {@code max}, as Azure IoT Hub does: a
   * silent client is dropped eventually, whatever it asked for.
   */
  public static int granted(int requestedSeconds, Duration max) {
    int maxSeconds = (int) max.toSeconds();
    return requestedSeconds == 0 || requestedSeconds > maxSeconds ? maxSeconds : requestedSeconds;
  }

  /**
   * How long a client granted {@code grantedSeconds} may stay silent before it is disconnected: one
   * and a half times the keep-alive (MQTT-3.1.2-24).
   */
  public static Duration enforcedAfter(int grantedSeconds) {
    return Duration.ofMillis(grantedSeconds * 1500L);
  }
}
