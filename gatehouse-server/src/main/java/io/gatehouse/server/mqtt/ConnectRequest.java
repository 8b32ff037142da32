package io.gatehouse.server.mqtt;

import io.gatehouse.core.identity.IdentityIds;
import io.gatehouse.server.device.DeviceCredential;
import io.gatehouse.server.mqtt.MqttConnection.ClientLimits;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A CONNECT checked for everything that needs no store: the client id is a device id, the user
 * name has Azure's form and names the same device, there is a credential, and the will (if any)
 * targets the device's own events topic. Authentication comes after, off the event loop.
 */
record ConnectRequest(MqttVersion version, String clientId, DeviceCredential credential, int keepAliveSeconds,
    WillMessage will, ClientLimits limits, boolean sessionExpiryRequested) {

  /** A CONNECT refused before authentication; the message is for the audit log. */
  static final class Invalid extends Exception {
    private final ConnectRefusal refusal;

    Invalid(ConnectRefusal refusal, String message) {
      super(message, null, false, false);
      this.refusal = refusal;
    }

    ConnectRefusal refusal() {
      return refusal;
    }
  }

  @Override
  public String toString() {
    return "ConnectRequest[" + version + ", " + clientId + ", credential " + credential.getClass().getSimpleName() + "]";
  }

  /**
   * @param peerCertificates the TLS client chain, leaf first, or empty
   */
  static ConnectRequest parse(MqttConnectMessage connect, List<X509Certificate> peerCertificates) throws Invalid {
    MqttConnectVariableHeader header = connect.variableHeader();
    MqttConnectPayload payload = connect.payload();
    MqttVersion version = header.version() == 5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1;
    MqttProperties properties = header.properties();
    if (properties.getProperty(MqttPropertyType.AUTHENTICATION_METHOD.value()) != null) {
      throw new Invalid(ConnectRefusal.BAD_AUTHENTICATION_METHOD,
          "MQTT 5 enhanced authentication is not supported; send the SAS token as password or use a client certificate");
    }
    String clientId = checkClientId(payload.clientIdentifier());
    checkUserName(payload.userName(), clientId);
    DeviceCredential credential = credential(clientId, header.hasPassword() ? payload.passwordInBytes() : null,
        peerCertificates);
    WillMessage will = header.isWillFlag() ? will(header, payload, clientId, version) : null;
    ClientLimits limits = version == MqttVersion.MQTT_5 ? limits(properties) : ClientLimits.UNANNOUNCED;
    Integer sessionExpiry = intProperty(properties, MqttPropertyType.SESSION_EXPIRY_INTERVAL);
    return new ConnectRequest(version, clientId, credential, header.keepAliveTimeSeconds(), will, limits,
        sessionExpiry != null && sessionExpiry != 0);
  }

  private static String checkClientId(String clientId) throws Invalid {
    if (clientId == null || clientId.isEmpty()) {
      throw new Invalid(ConnectRefusal.CLIENT_ID_INVALID, "client id is empty; it must be the device id");
    }
    if (clientId.indexOf('/') >= 0) {
      throw new Invalid(ConnectRefusal.CLIENT_ID_INVALID,
          "client id '" + clientId + "' names a module (device/module); modules are not supported yet");
    }
    if (!IdentityIds.isValid(clientId)) {
      throw new Invalid(ConnectRefusal.CLIENT_ID_INVALID, "client id is not a valid device id");
    }
    return clientId;
  }

  private static void checkUserName(String userName, String clientId) throws Invalid {
    if (userName == null) {
      throw new Invalid(ConnectRefusal.BAD_CREDENTIALS,
          "no user name; it must be {host}/" + clientId + "/?api-version=2021-04-12");
    }
    AzureUserName parsed = AzureUserName.parse(userName).orElseThrow(() -> new Invalid(ConnectRefusal.BAD_CREDENTIALS,
        "user name is not {host}/{deviceId}/?api-version=… (api-version is required)"));
    if (parsed.moduleId() != null) {
      throw new Invalid(ConnectRefusal.CLIENT_ID_INVALID, "user name names a module; modules are not supported yet");
    }
    if (!parsed.deviceId().equals(clientId)) {
      throw new Invalid(ConnectRefusal.BAD_CREDENTIALS,
          "user name names device '" + parsed.deviceId() + "' but the client id is '" + clientId + "'");
    }
  }

  private static DeviceCredential credential(String clientId, byte[] password, List<X509Certificate> chain)
      throws Invalid {
    if (password != null && password.length > 0) {
      return new DeviceCredential.Sas(clientId, new String(password, StandardCharsets.UTF_8));
    }
    if (!chain.isEmpty()) {
      return new DeviceCredential.Certificate(clientId, chain);
    }
    throw new Invalid(ConnectRefusal.BAD_AUTHENTICATION_METHOD,
        "no credential: send a SAS token as password, or present a client certificate");
  }

  private static WillMessage will(MqttConnectVariableHeader header, MqttConnectPayload payload, String clientId,
      MqttVersion version) throws Invalid {
    String topic = payload.willTopic();
    if (topic == null || !D2cTopic.parse(topic).map(t -> t.deviceId().equals(clientId)).orElse(false)) {
      throw new Invalid(ConnectRefusal.NOT_AUTHORIZED,
          "will topic must be the device's own events topic " + D2cTopic.eventsTopic(clientId));
    }
    if (version == MqttVersion.MQTT_5 && header.isWillRetain()) {
      throw new Invalid(ConnectRefusal.RETAIN_NOT_SUPPORTED, "retained will, but retained messages are not supported");
    }
    if (version == MqttVersion.MQTT_5 && header.willQos() == MqttQoS.EXACTLY_ONCE.value()) {
      throw new Invalid(ConnectRefusal.QOS_NOT_SUPPORTED, "will at QoS 2; the maximum QoS is 1");
    }
    return new WillMessage(topic, payload.willMessageInBytes(), header.isWillRetain());
  }

  private static ClientLimits limits(MqttProperties properties) {
    Integer receiveMaximum = intProperty(properties, MqttPropertyType.RECEIVE_MAXIMUM);
    Integer maximumPacketSize = intProperty(properties, MqttPropertyType.MAXIMUM_PACKET_SIZE);
    Integer problemInformation = intProperty(properties, MqttPropertyType.REQUEST_PROBLEM_INFORMATION);
    return new ClientLimits(receiveMaximum == null || receiveMaximum <= 0 ? 65_535 : receiveMaximum,
        maximumPacketSize == null || maximumPacketSize <= 0 ? ClientLimits.UNANNOUNCED.maximumPacketSize()
            : maximumPacketSize, problemInformation == null || problemInformation != 0);
  }

  private static Integer intProperty(MqttProperties properties, MqttPropertyType type) {
    MqttProperties.MqttProperty<?> property = properties.getProperty(type.value());
    return property != null && property.value() instanceof Integer value ? value : null;
  }
}
