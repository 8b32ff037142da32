package io.gatehouse.device.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpsHeadersTest {
  @Test
  void systemPropertiesBecomeTheirHeadersAndTheRestAppProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("$.mid", "m-1");
    properties.put("$.cid", "c-1");
    properties.put("$.ct", "application/json");
    properties.put("Unit", "degC");
    assertThat(HttpsHeaders.toHeaders(properties)).containsExactly(Map.entry("iothub-messageid", "m-1"),
        Map.entry("iothub-correlationid", "c-1"), Map.entry("iothub-contenttype", "application/json"),
        Map.entry("iothub-app-Unit", "degC"));
  }

  @Test
  void refusesWhatAHeaderCannotCarry() {
    assertThatThrownBy(() -> HttpsHeaders.toHeaders(Map.of("$.to", "/elsewhere"))).hasMessageContaining("'$.to'");
    assertThatThrownBy(() -> HttpsHeaders.toHeaders(Map.of("$.xyz", "1"))).hasMessageContaining("'$.xyz'");
    assertThatThrownBy(() -> HttpsHeaders.toHeaders(Map.of("a b", "1"))).hasMessageContaining("'a b'");
    assertThatThrownBy(() -> HttpsHeaders.toHeaders(Map.of("note", "line\nbreak"))).hasMessageContaining("'note'");
    assertThatThrownBy(() -> HttpsHeaders.toHeaders(Map.of("unit", "°C"))).hasMessageContaining("not printable ASCII");
  }

  @Test
  void readsAnInboxMessageUnderTheNamesMqttUses() {
    HttpHeaders headers = HttpHeaders.of(Map.of("ETag", List.of("\"lock-1\""), "iothub-messageid", List.of("m-9"),
        "iothub-to", List.of("/devices/d/messages/deviceBound"), "iothub-deliverycount", List.of("2"),
        "iothub-app-Valve", List.of("3"), "Content-Length", List.of("5")), (a, b) -> true);
    Map<String, String> properties = HttpsHeaders.fromHeaders(headers);
    assertThat(properties).containsOnly(Map.entry("$.mid", "m-9"), Map.entry("$.to", "/devices/d/messages/deviceBound"),
        Map.entry("iothub-deliverycount", "2"), Map.entry("Valve", "3"));
    assertThat(new InboxMessage("t", new byte[0], properties).deliveryCount()).hasValue(2);
  }
}
