package io.gatehouse.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.cli.CliRunner.Result;
import io.gatehouse.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's TPM walkthrough through the CLI: {@code device tpm-info} → {@code enrollment create
 * --tpm-endorsement-key} → {@code device provision} (a configuration without any secret) →
 * {@code device send} → the message in {@code telemetry read}; against a real gateway and swtpm.
 */
class DeviceProvisionE2ETest {
  @TempDir static Path work;

  @RegisterExtension
  static final CliGateway gw = CliGateway.perTestClass();

  @Test
  void aTpmDeviceProvisionsWithTheCliAndSendsWithNoSecretOnDisk() throws Exception {
    try (SwtpmProcess swtpm = SwtpmProcess.start(work.resolve("tpm"))) {
      Path ek = work.resolve("ek.b64");
      Result info = gw.ok("device", "tpm-info", "--tpm", swtpm.address(), "--ek-out", ek.toString());
      String registrationId = info.out().lines().filter(l -> l.startsWith("registrationId:")).findFirst()
          .orElseThrow().substring("registrationId:".length()).strip();
      assertThat(info.out()).contains("identityKey:    none yet");

      gw.ok("enrollment", "create", registrationId, "--tpm-endorsement-key", ek.toString(), "--device-id", "cli-tpm-1");
      String scope = gw.okJson("enrollment", "info").get("idScope").asText();

      Path config = work.resolve("device.yaml");
      Result provisioned = gw.ok("device", "provision", "--tpm", swtpm.address(), "--id-scope", scope,
          "--registration-id", registrationId, "--endpoint", "https://localhost:" + gw.port(),
          "--ca", gw.data().resolve("ca.pem").toString(), "--mqtt-port", Integer.toString(gw.mqttPort()),
          "--out", config.toString());
      assertThat(provisioned.out()).containsPattern("(?m)^deviceId:\\s+cli-tpm-1$");

      String written = Files.readString(config);
      assertThat(written).contains("deviceId: \"cli-tpm-1\"").contains("hubHostName: \"" + CliGateway.HOST + "\"")
          .contains(swtpm.address());
      // No key, token or blob: apart from the registration id (base32 of the EK's hash, public),
      // nothing base64-like of 40 characters or more, no SAS text, no PEM body.
      assertThat(written.replace(registrationId, "")).doesNotContainPattern("[A-Za-z0-9+/=]{40,}").doesNotContain("SharedAccess")
          .doesNotContain("BEGIN").doesNotContainIgnoringCase("key:");

      Result sent = gw.ok("device", "send", "--config", config.toString(), "--property", "unit=C", "21.5");
      assertThat(sent.out()).contains("sent as cli-tpm-1 over MQTT");
      assertThat(gw.ok("telemetry", "read", "--device", "cli-tpm-1").out()).contains("21.5");

      assertThat(written).contains("httpsPort: " + gw.port());
      Result overHttps = gw.ok("device", "send", "--config", config.toString(), "--transport", "https",
          "--property", "unit=C", "22.5");
      assertThat(overHttps.out()).contains("sent as cli-tpm-1 over HTTPS").contains(":" + gw.port() + ")");
      assertThat(gw.ok("telemetry", "read", "--device", "cli-tpm-1").out()).contains("21.5").contains("22.5");
      Result pigeon = gw.run("device", "send", "--config", config.toString(), "--transport", "pigeon", "x");
      assertThat(pigeon.exitCode()).as(pigeon.all()).isEqualTo(ExitCodes.USAGE);
      assertThat(pigeon.err()).contains("'pigeon' is not a transport: use mqtt or https");

      gw.ok("device", "disable", "cli-tpm-1");
      Result refused = gw.run("device", "send", "--config", config.toString(), "--transport", "https", "23.5");
      assertThat(refused.exitCode()).as(refused.all()).isEqualTo(ExitCodes.REFUSED);
      assertThat(refused.err()).contains("refused telemetry as cli-tpm-1: HTTP 40").doesNotContain("sig=");
      gw.ok("device", "enable", "cli-tpm-1");
      assertThat(gw.ok("device", "show", "cli-tpm-1").out()).contains("attestation=tpm");
    }
  }

  @Test
  void aTpmThatIsNotEnrolledIsRefusedWithTheDpsError() throws Exception {
    try (SwtpmProcess swtpm = SwtpmProcess.start(work.resolve("tpm-stranger"))) {
      String scope = gw.okJson("enrollment", "info").get("idScope").asText();
      Result refused = gw.run("device", "provision", "--tpm", swtpm.address(), "--id-scope", scope,
          "--endpoint", "https://localhost:" + gw.port(), "--ca", gw.data().resolve("ca.pem").toString(),
          "--out", work.resolve("stranger.yaml").toString());
      assertThat(refused.exitCode()).as(refused.all()).isEqualTo(ExitCodes.REFUSED);
      assertThat(refused.err()).contains("HTTP 401").contains("errorCode 401002").contains("has no individual enrollment");
      assertThat(work.resolve("stranger.yaml")).doesNotExist();
    }
  }
}
