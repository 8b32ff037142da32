package io.gatehouse.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.gatehouse.cli.CliRunner.Result;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.Main;
import io.gatehouse.core.sas.SasSigner;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.Base64;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * {@code gatehouse edge posture EDGE_ID} against a real gateway, after a real MQTT 5 client connected
 * as the edge reported its posture. The command is attached under {@code gatehouse edge} here, as the
 * {@code edge} group will list it.
 */
class EdgePostureCommandE2ETest {
  private static final String REPORT = """
      {"version":"0.1.0-SNAPSHOT","startedAt":"2026-11-21T10:00:00Z","uptimeSeconds":300,\
      "listeners":[{"adapter":"mqtt","addresses":["192.168.1.10:1883"]},{"adapter":"coap","addresses":["192.168.1.10:5684"]}],\
      "leaves":{"configured":12,"connected":7},"buffer":{"messages":0,"dropped":0,"lastDropAt":null}}""";

  @RegisterExtension
  static final CliGateway gw = CliGateway.perTestClass();

  @Test
  void showsTheLatestReportAsTextAndAsJson() throws Exception {
    JsonNode edge = gw.okJson("edge", "create", "cli-edge-1");
    gw.secret(edge.path("primaryKey").asText());
    gw.secret(edge.path("connectionString").asText());
    report("cli-edge-1", Base64.getDecoder().decode(edge.path("primaryKey").asText()), REPORT);

    Result text = posture("cli-edge-1");
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.err()).isEmpty();
    assertThat(text.out()).containsPattern("(?m)^edgeId:\\s+cli-edge-1$")
        .containsPattern("(?m)^receivedAt:\\s+\\d{4}-\\d\\d-\\d\\dT\\S+Z$")
        .containsPattern("(?m)^source:\\s+\\S*127\\.0\\.0\\.1\\S*$")
        .containsPattern("(?m)^version:\\s+0\\.1\\.0-SNAPSHOT$")
        .containsPattern("(?m)^uptimeSeconds:\\s+300$")
        .containsPattern("(?m)^listeners:\\s+adapter=mqtt, addresses=192\\.168\\.1\\.10:1883$")
        .containsPattern("(?m)^\\s+adapter=coap, addresses=192\\.168\\.1\\.10:5684$")
        .containsPattern("(?m)^leaves:\\s+configured=12, connected=7$")
        .containsPattern("(?m)^buffer:\\s+messages=0, dropped=0$");

    Result json = posture("cli-edge-1", "--output", "json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode shown = new ObjectMapper().readTree(json.out());
    assertThat(shown.path("edgeId").asText()).isEqualTo("cli-edge-1");
    assertThat(shown.path("posture")).isEqualTo(new ObjectMapper().readTree(REPORT));
  }

  @Test
  void anEdgeThatNeverReportedADeviceAndAnUnknownIdAreRefusedWithTheGatewaysReason() {
    gw.secret(gw.okJson("edge", "create", "cli-edge-2").path("primaryKey").asText());
    gw.secret(gw.okJson("device", "create", "cli-plain-2").path("primaryKey").asText());

    Result silent = posture("cli-edge-2");
    assertThat(silent.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(silent.out()).isEmpty();
    assertThat(silent.err()).contains("field gateway 'cli-edge-2' has not reported its posture yet");
    assertThat(posture("cli-plain-2").err()).contains("'cli-plain-2' is a device, not a field gateway");
    assertThat(posture("cli-nobody").err()).contains("no field gateway 'cli-nobody'");
    assertThat(posture("bad/id").exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  /** {@code gatehouse edge posture ARGS…} through the real command line. */
  private static Result posture(String... args) {
    CommandLine cli = Main.commandLine(new Main(gw.env()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] full = new String[args.length + 2];
    full[0] = "edge";
    full[1] = "posture";
    System.arraycopy(args, 0, full, 2, args.length);
    int code = cli.execute(full);
    assertThat(err.toString()).doesNotContain(gw.operatorKey());
    return new Result(code, out.toString(), err.toString());
  }

  /** The edge reports over its MQTT 5 uplink, as `gatehouse edge` does. */
  private static void report(String edgeId, byte[] key, String report) throws Exception {
    Mqtt5BlockingClient edge = MqttClient.builder().useMqttVersion5().identifier(edgeId)
        .serverHost("localhost").serverPort(gw.mqttPort())
        .sslConfig().trustManagerFactory(trust()).applySslConfig()
        .buildBlocking();
    edge.connectWith().simpleAuth().username(CliGateway.HOST + "/" + edgeId + "/?api-version=2021-04-12")
        .password(SasSigner.token(CliGateway.HOST + "/devices/" + edgeId, key, Instant.now().plusSeconds(600), null)
            .getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth().send();
    try {
      edge.publishWith().topic("$gatehouse/edge/posture").qos(MqttQos.AT_LEAST_ONCE)
          .payload(report.getBytes(StandardCharsets.UTF_8)).send();
    } finally {
      edge.disconnect();
    }
  }

  private static TrustManagerFactory trust() throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(gw.data().resolve("ca.pem"))) {
      store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    return tmf;
  }
}
