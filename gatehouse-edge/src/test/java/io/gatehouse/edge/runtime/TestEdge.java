package io.gatehouse.edge.runtime;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.edge.testing.ServiceGateway;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

/**
 * A service gateway with edge-1 and its leaves sensor-1 and valve-1 registered, and an edge runtime
 * started from a real edge.yaml against it, its local MQTT endpoint on 127.0.0.1 with a free port.
 */
final class TestEdge implements AutoCloseable {
  static final String SENSOR = "sensor-1";
  static final String SENSOR_SECRET = "sensor-secret-0001";
  static final String VALVE = "valve-1";
  static final String VALVE_SECRET = "valve-secret-0001";

  /** Fahrenheit in, Celsius out; readings under -40 °C dropped (others without a temperature pass); raw temperature above 90 °F closes the valve. */
  static final String PROCESSING = """
      pipeline:
        - type: transform
          rename: { tempF: temperature }
          convert: { temperature: fahrenheit_to_celsius }
        - type: filter
          field: temperature
          op: ">="
          value: -40
          if-missing: pass
      alarms:
        - name: overheat
          device: sensor-1
          field: tempF
          op: ">"
          threshold: 90
          action: { device: valve-1, payload: '{"open":false}' }
      """;

  /** The certificate credential's files (in {@link #dir}), named in the uplink section by {@link #withCertificate}. */
  static final String CERTIFICATE_FILE = "edge-1.pem";
  static final String KEY_FILE = "edge-1-key.pem";

  final ServiceGateway gateway;
  final Path dir;
  EdgeRuntime edge;
  /** More config sections, appended to the file. */
  String extraConfig = "";
  /** The uplink's credential settings. */
  private final String credentialConfig;
  /** uplink.maxBackoff, if set: a small cap lets a test see several attempts soon. */
  String maxBackoff;
  /** sensor-1 on the edge's local MQTT endpoint, connected by the first {@link #publishReading}. */
  private Mqtt5BlockingClient sensor;

  /** edge-1 registered with SAS keys, its key in edge-1.key. */
  TestEdge(Path dir) throws Exception {
    this(dir, (String) null);
  }

  /** How a test brings edge-1 into the gateway's registry, returning the uplink's credential settings. */
  interface EdgeEnrolment {
    String enrol(ServiceGateway gateway) throws Exception;
  }

  /** edge-1 brought in by {@code enrolment} (e.g. provisioned with its TPM), before its leaves are created. */
  static TestEdge enrolledBy(Path dir, EdgeEnrolment enrolment) throws Exception {
    return new TestEdge(dir, enrolment);
  }

  private TestEdge(Path dir, EdgeEnrolment enrolment) throws Exception {
    this.dir = dir;
    this.gateway = new ServiceGateway(dir.resolve("gateway"));
    credentialConfig = enrolment.enrol(gateway);
    gateway.create(SENSOR, "{\"kind\":\"device\",\"parentId\":\"edge-1\"}");
    gateway.create(VALVE, "{\"kind\":\"device\",\"parentId\":\"edge-1\"}");
  }

  private TestEdge(Path dir, String edgeAuthentication) throws Exception {
    this.dir = dir;
    this.gateway = new ServiceGateway(dir.resolve("gateway"));
    if (edgeAuthentication == null) {
      byte[] key = gateway.create("edge-1", "{\"kind\":\"edge\"}");
      Path keyFile = dir.resolve("edge-1.key");
      Files.writeString(keyFile, Base64.getEncoder().encodeToString(key));
      Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
      credentialConfig = "sasKeyFile: edge-1.key";
    } else {
      gateway.register("edge-1", "{\"kind\":\"edge\",\"authentication\":" + edgeAuthentication + "}");
      credentialConfig = "certificate: " + CERTIFICATE_FILE + "\n  privateKey: " + KEY_FILE;
    }
    gateway.create(SENSOR, "{\"kind\":\"device\",\"parentId\":\"edge-1\"}");
    gateway.create(VALVE, "{\"kind\":\"device\",\"parentId\":\"edge-1\"}");
  }

  /**
   * edge-1 registered with {@code authentication} (an x509-thumbprint or x509-ca object of the
   * service API); the test writes the certificate and key to {@link #CERTIFICATE_FILE} and
   * {@link #KEY_FILE} in {@code dir} before {@link #start()}.
   */
  static TestEdge withCertificate(Path dir, String authentication) throws Exception {
    return new TestEdge(dir, authentication);
  }

  String config() {
    return """
        edge:
          id: edge-1
          dataDirectory: edge-data
        uplink:
          host: localhost
          port: %d
          caCertificate: %s
          %s
        leaves:
          - {id: sensor-1, secret: %s}
          - {id: valve-1, secret: %s}
        mqtt:
          bind: ["127.0.0.1:0"]
        posture: {interval: 1h, refusalReports: 1s}
        """.formatted(gateway.mqttPort(), gateway.caCertificate(), uplinkSettings(), SENSOR_SECRET, VALVE_SECRET)
        + PROCESSING
        + extraConfig;
  }

  private String uplinkSettings() {
    return credentialConfig + (maxBackoff == null ? "" : "\n  maxBackoff: " + maxBackoff);
  }

  EdgeRuntime start() throws IOException {
    Path file = dir.resolve("edge.yaml");
    Files.writeString(file, config());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    edge = EdgeRuntime.start(EdgeConfigFile.load(file), Clock.systemUTC());
    return edge;
  }

  int mqttPort() {
    InetSocketAddress bound = edge.listeners().get("mqtt").getFirst();
    return bound.getPort();
  }

  /** Publishes {@code json} as sensor-1 (QoS 1) on the edge's local MQTT endpoint; the first call connects. */
  void publishReading(String json) {
    if (sensor == null) {
      sensor = MqttClient.builder().useMqttVersion5().identifier(SENSOR).serverHost("127.0.0.1")
          .serverPort(mqttPort()).buildBlocking();
      sensor.connectWith().simpleAuth().username(SENSOR).password(SENSOR_SECRET.getBytes(StandardCharsets.UTF_8))
          .applySimpleAuth().send();
    }
    sensor.publishWith().topic("leaves/sensor-1/telemetry").qos(MqttQos.AT_LEAST_ONCE)
        .payload(json.getBytes(StandardCharsets.UTF_8)).send();
  }

  /** What the service gateway stored for sensor-1 from sequence {@code from} on. */
  List<TelemetryMessage> sensorMessages(long from) {
    return gateway.gateway().telemetry().read(from, 1_000).stream().filter(m -> m.deviceId().equals(SENSOR))
        .toList();
  }

  @Override
  public void close() {
    if (sensor != null) {
      sensor.disconnect();
    }
    if (edge != null) {
      edge.close();
    }
    gateway.close();
  }
}
