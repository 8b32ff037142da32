package io.gatehouse.edge.local.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.edge.pipeline.ConfigYaml;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The coap: section of the edge's config file and the checks of CoapConfig. */
class CoapConfigTest {
  private static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
  private static final Map<String, byte[]> PSKS = Map.of("leaf-1", KEY);

  @Test
  void readsEveryKeyOfTheSection() throws Exception {
    CoapConfig config = CoapConfig.fromTree(section("""
        coap:
          bind: ["192.168.1.10:5685", "[fd00::10]", "10.0.0.1"]
          max-payload-bytes: 512
          command-wait: 30s
          command-queue: 4
          ack-timeout: 3s
          max-retransmit: 2
          session-idle: 5m
          max-sessions: 64
          io-threads: 1
        """), PSKS);

    assertThat(config.bindAddresses()).containsExactly(new InetSocketAddress("192.168.1.10", 5685),
        new InetSocketAddress("fd00::10", 5684), new InetSocketAddress("10.0.0.1", 5684));
    assertThat(config.maxPayloadBytes()).isEqualTo(512);
    assertThat(config.commandWait()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.commandQueue()).isEqualTo(4);
    assertThat(config.ackTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.maxRetransmit()).isEqualTo(2);
    assertThat(config.sessionIdle()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.maxSessions()).isEqualTo(64);
    assertThat(config.ioThreads()).isEqualTo(1);
    assertThat(config.psks().leafIds()).containsExactly("leaf-1");
  }

  @Test
  void onlyBindIsRequired() throws Exception {
    CoapConfig config = CoapConfig.fromTree(section("coap:\n  bind: 192.168.1.10\n"), PSKS);

    assertThat(config).isEqualTo(CoapConfig.defaults(List.of(new InetSocketAddress("192.168.1.10", 5684)),
        config.psks()));
  }

  @Test
  void anUnknownKeyIsAnErrorNamingIt() {
    assertThatThrownBy(() -> CoapConfig.fromTree(section("coap:\n  bind: [127.0.0.1]\n  max-payload: 10\n"), PSKS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("coap: unknown key 'max-payload'; expected one of: ack-timeout, bind, command-queue");
  }

  @Test
  void aMissingBindSaysWhatToWrite() {
    assertThatThrownBy(() -> CoapConfig.fromTree(section("coap:\n  command-wait: 5s\n"), PSKS))
        .hasMessageContaining("coap: 'bind' is required").hasMessageContaining("192.168.1.10:5684");
    assertThatThrownBy(() -> CoapConfig.fromTree(section("coap: on\n"), PSKS))
        .hasMessageContaining("coap config must be a mapping");
  }

  @Test
  void bindAddressesMustBeIpLiterals() {
    assertThatThrownBy(() -> CoapConfig.fromTree(section("coap:\n  bind: [gateway.local]\n"), PSKS))
        .hasMessageContaining("bind address 'gateway.local' is not understood")
        .hasMessageContaining("hostnames are not looked up");
    assertThatThrownBy(() -> CoapConfig.fromTree(section("coap:\n  bind: [\"300.1.1.1:5684\"]\n"), PSKS))
        .hasMessageContaining("bind address '300.1.1.1:5684' is out of range");
    assertThatThrownBy(() -> CoapConfig.fromTree(section("coap:\n  bind: [\"10.0.0.1:70000\"]\n"), PSKS))
        .hasMessageContaining("out of range");
  }

  @Test
  void durationsNeedAUnit() {
    assertThatThrownBy(() -> CoapConfig.fromTree(section("coap:\n  bind: [127.0.0.1]\n  command-wait: 10\n"), PSKS))
        .hasMessageStartingWith("coap, at command-wait: duration 10 needs a unit");
  }

  @Test
  void aValueOutOfRangeIsReportedUnderItsYamlKey() {
    assertThatThrownBy(() -> CoapConfig.fromTree(
        section("coap:\n  bind: [127.0.0.1]\n  max-payload-bytes: 4096\n"), PSKS))
        .hasMessage("coap: 'max-payload-bytes' must be 16 to 1024, got 4096");
    assertThatThrownBy(() -> CoapConfig.fromTree(section("coap:\n  bind: [127.0.0.1]\n  command-wait: 1h\n"), PSKS))
        .hasMessage("coap: 'command-wait' must be 100ms to 5m, got 1h");
    assertThatThrownBy(() -> CoapConfig.fromTree(section("coap:\n  bind: [127.0.0.1]\n  io-threads: 1.5\n"), PSKS))
        .hasMessageStartingWith("coap, at io-threads:");
  }

  @Test
  void keysMustBeLongEnoughAndAreNeverPrinted() {
    assertThatThrownBy(() -> LeafPsks.of(Map.of("leaf-1", "short".getBytes(StandardCharsets.US_ASCII))))
        .hasMessage("the PSK of leaf leaf-1 has 5 bytes; give every leaf a random key of 16 to 64 bytes "
            + "(e.g. openssl rand -hex 16)");
    assertThatThrownBy(() -> LeafPsks.of(Map.of("leaf/1", KEY))).hasMessageContaining("contains '/'");

    LeafPsks psks = LeafPsks.of(PSKS);
    CoapConfig config = CoapConfig.defaults(List.of(), psks);
    assertThat(psks.toString() + config).doesNotContain(HexFormat.of().formatHex(KEY))
        .doesNotContain(new String(KEY, StandardCharsets.ISO_8859_1)).contains("LeafPsks[1 leaves]");
  }

  @Test
  void theKeysAreCopiedOnTheWayIn() {
    byte[] key = KEY.clone();
    LeafPsks psks = LeafPsks.of(Map.of("leaf-1", key));
    key[0] ^= 1;

    assertThat(psks.secretFor("leaf-1").getEncoded()).isEqualTo(KEY);
    assertThat(psks.secretFor("leaf-9")).isNull();
  }

  @Test
  void maxTransmitWaitIsRfc7252sFromTheDefaults() {
    CoapConfig config = CoapConfig.defaults(List.of(), LeafPsks.of(PSKS));

    assertThat(config.maxTransmitWait()).isEqualTo(Duration.ofSeconds(93)); // RFC 7252 MAX_TRANSMIT_WAIT
  }

  private static JsonNode section(String yaml) throws Exception {
    return ConfigYaml.strictMapper().readTree(yaml).get("coap");
  }
}
