package io.gatehouse.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.cli.CliContext;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.server.bootstrap.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
  @TempDir Path dir;

  @Test
  void defaultsWhenNothingIsSaid() {
    GatewayConfig config = new ServeCommand().resolve(context(Map.of()));
    assertThat(config.dataDirectory()).isEqualTo(Path.of("gatehouse-data"));
    assertThat(config.hostName()).isEqualTo("localhost");
    assertThat(config.httpsPort()).isEqualTo(8443);
    assertThat(config.mqttPort()).isEqualTo(8883);
    assertThat(config.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(config.tlsCertificate()).isNull();
  }

  @Test
  void flagBeatsEnvironmentBeatsConfigFileBeatsDefault() throws Exception {
    Path file = Files.writeString(dir.resolve("gatehouse.properties"),
        "hostname=from-file.example\nhttps-port=9001\nbind=127.0.0.2\nmqtt-port=9883\n");
    ServeCommand command = new ServeCommand();
    command.config = file;
    command.httpsPort = 9443;
    GatewayConfig config = command.resolve(context(Map.of("GATEHOUSE_HTTPS_PORT", "9002",
        "GATEHOUSE_HOSTNAME", "from-env.example")));
    assertThat(config.httpsPort()).as("flag").isEqualTo(9443);
    assertThat(config.hostName()).as("env").isEqualTo("from-env.example");
    assertThat(config.bindAddress()).as("file").isEqualTo("127.0.0.2");
    assertThat(config.mqttPort()).as("file").isEqualTo(9883);
    assertThat(config.dataDirectory()).as("default").isEqualTo(Path.of("gatehouse-data"));
  }

  @Test
  void configFileCanComeFromTheEnvironment() throws Exception {
    Path file = Files.writeString(dir.resolve("g.properties"), "data=/srv/gatehouse\n");
    GatewayConfig config = new ServeCommand().resolve(context(Map.of("GATEHOUSE_CONFIG", file.toString())));
    assertThat(config.dataDirectory()).isEqualTo(Path.of("/srv/gatehouse"));
  }

  @Test
  void badSettingsAreRefusedWithTheirName() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.properties"), "hostnme=x\n");
    ServeCommand typo = new ServeCommand();
    typo.config = file;
    assertThatThrownBy(() -> typo.resolve(context(Map.of()))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unknown setting 'hostnme'");
    assertThatThrownBy(() -> new ServeCommand().resolve(context(Map.of("GATEHOUSE_HTTPS_PORT", "eighty"))))
        .hasMessageContaining("https-port must be a whole number");
    ServeCommand halfTls = new ServeCommand();
    halfTls.tlsCert = "cert.pem";
    assertThatThrownBy(() -> halfTls.resolve(context(Map.of()))).hasMessageContaining("--tls-cert and --tls-key go together");
    ServeCommand badHost = new ServeCommand();
    badHost.hostName = "not a host";
    assertThatThrownBy(() -> badHost.resolve(context(Map.of()))).hasMessageContaining("not a valid DNS name");
  }

  private static CliContext context(Map<String, String> env) {
    return new CliContext(env, Clock.systemUTC());
  }
}
