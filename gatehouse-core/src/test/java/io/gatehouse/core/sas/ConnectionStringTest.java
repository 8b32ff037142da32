package io.gatehouse.core.sas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class ConnectionStringTest {
  @Test
  void parsesAzureDeviceStringCaseInsensitivelyKeepingBase64Padding() {
    ConnectionString cs = ConnectionString.parse(
        "hostname=hub.example.net;DeviceId=dev1;sharedaccesskey=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=;GatewayHostName=gw.local");
    assertThat(cs.hostName()).isEqualTo("hub.example.net");
    assertThat(cs.require("DeviceId")).isEqualTo("dev1");
    assertThat(cs.require("SharedAccessKey")).endsWith("Hh8=");
    assertThat(cs.get("GatewayHostName")).contains("gw.local");
  }

  @Test
  void rendersDeviceAndServiceStrings() {
    assertThat(ConnectionString.forDevice("h.example", "d1", "k=").render())
        .isEqualTo("HostName=h.example;DeviceId=d1;SharedAccessKey=k=");
    assertThat(ConnectionString.forService("h.example", "ops", "k=").render())
        .isEqualTo("HostName=h.example;SharedAccessKeyName=ops;SharedAccessKey=k=");
  }

  @Test
  void toStringHidesTheKey() {
    assertThat(ConnectionString.forDevice("h.example", "d1", "secret=").toString()).doesNotContain("secret");
  }

  @Test
  void rejectsBadStrings() {
    assertThatThrownBy(() -> ConnectionString.parse("")).isInstanceOf(InvalidInputException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> ConnectionString.parse("DeviceId=d1")).hasMessageContaining("no HostName");
    assertThatThrownBy(() -> ConnectionString.parse("HostName=a;Bogus=1")).hasMessageContaining("unknown key 'Bogus'");
    assertThatThrownBy(() -> ConnectionString.parse("HostName=a;HostName=b")).hasMessageContaining("twice");
    assertThatThrownBy(() -> ConnectionString.parse("HostName=a;justtext")).hasMessageContaining("Key=Value")
        .hasMessageNotContaining("justtext");
  }

  @Test
  void errorsNeverEchoAKeyCutByAStraySemicolon() {
    assertThatThrownBy(() -> ConnectionString.parse("HostName=a;SharedAccessKey=AAEC;AwQF+/Gh8=="))
        .hasMessageContaining("unknown key (not shown)").hasMessageNotContaining("AwQF");
  }
}
