package io.gatehouse.server.device;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.message.MessageProperties;
import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.store.TelemetryLog;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Accepts device-to-cloud messages from any transport: checks that the sender may publish as the
 * named device (itself, or, for a field gateway, one of its enabled leaves), and appends to the
 * durable log, recording the edge that carried a leaf's message. Never blocks, so MQTT can call it
 * on its event loop; the returned future completes once the message is durable, which is when to
 * acknowledge.
 */
public final class TelemetryIngest {
  private final TelemetryLog log;
  private final LeafDirectory leaves;

  public TelemetryIngest(TelemetryLog log, LeafDirectory leaves) {
    this.log = log;
    this.leaves = leaves;
  }

  /**
   * @throws DeviceForbiddenException if {@code sender} may not publish as {@code deviceId}
   * @throws InvalidInputException if the message is larger than {@link TelemetryMessage#MAX_SIZE}
   */
  public CompletableFuture<TelemetryMessage> publish(AuthenticatedDevice sender, String deviceId,
      MessageProperties properties, byte[] payload) throws DeviceForbiddenException {
    String gateway = null;
    if (!sender.id().equals(deviceId)) {
      if (sender.device().kind() != IdentityKind.EDGE) {
        throw new DeviceForbiddenException("device '" + sender.id() + "' may publish only as itself, not as '"
            + deviceId + "'; only a field gateway (kind edge) speaks for other devices, its leaves");
      }
      Optional<String> refusal = leaves.refusal(sender.id(), deviceId);
      if (refusal.isPresent()) {
        throw new DeviceForbiddenException("edge '" + sender.id() + "' may not publish for '" + deviceId + "': "
            + refusal.get());
      }
      gateway = sender.id();
    }
    int size = payload.length + properties.size();
    if (size > TelemetryMessage.MAX_SIZE) {
      throw new InvalidInputException("message is " + size + " bytes with its properties; at most "
          + TelemetryMessage.MAX_SIZE + " are accepted");
    }
    return log.append(TelemetryMessage.toAppend(deviceId, gateway, properties, payload));
  }
}
