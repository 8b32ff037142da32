package io.gatehouse.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerNamesTest {
  @Test
  void alwaysIncludesTheLoopbackNamesAndSortsIpLiteralsFromDnsNames() {
    ServerNames names = ServerNames.of("Gatehouse.Example.", "[fd00::1]", "192.168.1.20", "gw");

    assertThat(names.hostname()).isEqualTo("gatehouse.example");
    assertThat(names.dnsNames()).containsExactly("gatehouse.example", "localhost", "gw");
    assertThat(names.ipAddresses()).hasSize(4).allSatisfy(ip -> assertThat(ip.length).isIn(4, 16));
  }

  @Test
  void anIpHostnameIsAnIpSan() {
    ServerNames names = ServerNames.of("10.0.0.5");

    assertThat(names.dnsNames()).containsExactly("localhost");
    assertThat(names.ipAddresses()).hasSize(3);
  }

  @Test
  void refusesWhatCannotBeADnsName() {
    assertThatThrownBy(() -> ServerNames.of("bad name")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bad name'");
    assertThatThrownBy(() -> ServerNames.of(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServerNames.of("a".repeat(64) + ".example")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void internationalNamesBecomePunycode() {
    assertThat(ServerNames.of("bücher.example").hostname()).isEqualTo("xn--bcher-kva.example");
  }
}
