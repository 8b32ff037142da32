package io.gatehouse.server.transport;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How large a request body may be, by route. Service API calls get the configured limit; device
 * telemetry ({@code POST /devices/{id}/messages/events}) gets Azure IoT Hub's 256 KiB, the largest
 * message (or batch) an Azure device SDK sends.
 */
record BodyLimits(int defaultLimit) {
  static final int DEVICE_TELEMETRY_LIMIT = 256 * 1024;
  private static final Pattern DEVICE_EVENTS = Pattern.compile("/devices/[^/?]+/messages/events/?(\\?.*)?");

  int limitFor(HttpRequest request) {
    if (request.method().equals(HttpMethod.POST)
        && DEVICE_EVENTS.matcher(request.uri().toLowerCase(Locale.ROOT)).matches()) {
      return Math.max(defaultLimit, DEVICE_TELEMETRY_LIMIT);
    }
    return defaultLimit;
  }

  /** What the aggregator may ever hold for one request: the largest limit of any route. */
  int largest() {
    return Math.max(defaultLimit, DEVICE_TELEMETRY_LIMIT);
  }
}
