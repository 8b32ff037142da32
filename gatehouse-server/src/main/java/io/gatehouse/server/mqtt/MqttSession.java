package io.gatehouse.server.mqtt;

import io.gatehouse.server.device.DeviceSession;
import io.gatehouse.server.device.InboxReservation;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;

/**
 * An established MQTT connection as the {@link io.gatehouse.server.device.SessionRegistry} sees
 * it. Calls may come from any thread; each hops to the connection's event loop.
 */
final class MqttSession implements DeviceSession {
  private final String deviceId;
  private final MqttConnection connection;

  MqttSession(String deviceId, MqttConnection connection) {
    this.deviceId = deviceId;
    this.connection = connection;
  }

  @Override
  public String deviceId() {
    return deviceId;
  }

  @Override
  public void terminate(TerminationReason reason) {
    onEventLoop(() -> connection.terminate(codeFor(reason), describe(reason)));
  }

  @Override
  public void inboxChanged(String changedDeviceId) {
    onEventLoop(() -> connection.channel().pipeline().fireUserEventTriggered(new InboxEvent.Changed(changedDeviceId)));
  }

  @Override
  public Optional<InboxReservation> reserveInboxDelivery() {
    InboxDeliveryHandler inbox = connection.channel().pipeline().get(InboxDeliveryHandler.class);
    return inbox == null ? Optional.empty() : inbox.reserve();
  }

  static Disconnect codeFor(TerminationReason reason) {
    return switch (reason) {
      case SESSION_TAKEN_OVER -> Disconnect.SESSION_TAKEN_OVER;
      case REVOKED -> Disconnect.ADMINISTRATIVE_ACTION;
      case CREDENTIAL_EXPIRED -> Disconnect.MAXIMUM_CONNECT_TIME;
      case SERVER_SHUTTING_DOWN -> Disconnect.SERVER_SHUTTING_DOWN;
    };
  }

  private static String describe(TerminationReason reason) {
    return switch (reason) {
      case SESSION_TAKEN_OVER -> "another connection with the same client id took over";
      case REVOKED -> "the device was disabled, deleted or its credential changed";
      case CREDENTIAL_EXPIRED -> "the SAS token or certificate expired; reconnect with a new one";
      case SERVER_SHUTTING_DOWN -> "the gateway is shutting down";
    };
  }

  private void onEventLoop(Runnable task) {
    Channel channel = connection.channel();
    try {
      channel.eventLoop().execute(task);
    } catch (RejectedExecutionException e) {
      channel.close(); // the event loop is shutting down; the connection goes with it
    }
  }
}
