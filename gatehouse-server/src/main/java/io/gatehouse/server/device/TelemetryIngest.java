package io.gatehouse.server.device;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.message.MessageProperties;
import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.store.TelemetryLog;
import java.util.concurrent.CompletableFuture;

/**
 * Accepts device-to-cloud messages from any transport: checks that the sender may publish as the
 * named device, and appends to the durable log. Never blocks, so MQTT can call it on its event
 * loop; the returned future completes once the message is durable, which is when to acknowledge.
 */
public final class TelemetryIngest {
  private final TelemetryLog log;

  public TelemetryIngest(TelemetryLog log) {
    this.log = log;
  }

  /**
   * @throws DeviceForbiddenException if {@code sender} may not publish as {@code deviceId}
   * @throws InvalidInputException if the message is larger than {@link TelemetryMessage#MAX_SIZE}
   */
  public CompletableFuture<TelemetryMessage> publish(AuthenticatedDevice sender, String deviceId,
      MessageProperties properties, byte[] payload) throws DeviceForbiddenException {
    if (!sender.id().equals(deviceId)) {
      // Field gateways speaking for their children come with issue 4; until then, only oneself.
      throw new DeviceForbiddenException("device '" + sender.id() + "' may publish only as itself, not as '"
          + deviceId + "'");
    }
    int size = payload.length + properties.size();
    if (size > TelemetryMessage.MAX_SIZE) {
      throw new InvalidInputException("message is " + size + " bytes with its properties; at most "
          + TelemetryMessage.MAX_SIZE + " are accepted");
    }
    return log.append(TelemetryMessage.toAppend(deviceId, null, properties, payload));
  }
}
