package io.gatehouse.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.message.AckMode;
import io.gatehouse.core.message.InboxMessage;
import io.gatehouse.core.message.MessageProperties;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PropertyBagTest {
  @Test
  void javaSdkBagWithRawSystemKeys() {
    MessageProperties p = PropertyBag.parseDeviceToCloud(
        "$.mid=42&$.ct=application%2Fjson&$.ce=utf-8&temp=21.5&room=living%20room", false);
    assertThat(p.messageId()).isEqualTo("42");
    assertThat(p.contentType()).isEqualTo("application/json");
    assertThat(p.contentEncoding()).isEqualTo("utf-8");
    assertThat(p.application()).containsExactly(Map.entry("temp", "21.5"), Map.entry("room", "living room"));
  }

  @Test
  void cSdkBagWithEncodedSystemKeysAndUnencodedValues() {
    MessageProperties p = PropertyBag.parseDeviceToCloud(
        "%24.mid=m1&%24.cid=c1&%24.uid=u1&%24.to=%2Fdevices%2Fx&%24.ctime=2026-01-01T00%3A00%3A00Z&rate=100%&a+b=c+d",
        false);
    assertThat(p.messageId()).isEqualTo("m1");
    assertThat(p.correlationId()).isEqualTo("c1");
    assertThat(p.userId()).isEqualTo("u1");
    assertThat(p.application()).containsEntry("iothub-creation-time-utc", "2026-01-01T00:00:00Z")
        .containsEntry("rate", "100%") // not valid percent-encoding: kept as sent
        .containsEntry("a+b", "c+d") // plus is not a space: clients encode spaces as %20
        .doesNotContainKey("$.to");
  }

  @Test
  void bareKeysEmptyValuesRetainAndSpoofedStamps() {
    MessageProperties p = PropertyBag.parseDeviceToCloud(
        "flag&empty=&iothub-connection-device-id=other&$.cdid=other&%24.cmid=m&&", true);
    assertThat(p.application()).containsOnlyKeys("flag", "empty", "mqtt-retain").containsEntry("flag", null)
        .containsEntry("empty", "").containsEntry("mqtt-retain", "true");
  }

  @Test
  void emptyBagHasNoProperties() {
    assertThat(PropertyBag.parseDeviceToCloud("", false)).isEqualTo(MessageProperties.NONE);
  }

  @Test
  void tooManyPropertiesAreRefused() {
    String bag = IntStream.range(0, 70).mapToObj(i -> "k" + i + "=v").collect(Collectors.joining("&"));
    assertThatThrownBy(() -> PropertyBag.parseDeviceToCloud(bag, false)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void cloudToDeviceBagPutsSystemPropertiesFirstAndEncodesAsTheJavaSdkDecodes() {
    Map<String, String> application = new LinkedHashMap<>();
    application.put("prop 1", "a b+c&d=e");
    application.put("bare", null);
    application.put("empty", "");
    InboxMessage message = new InboxMessage("dev 1", 1, "backend",
        new MessageProperties("id-1", "c/1", null, "text/plain", "utf-8", application), new byte[0], AckMode.FULL,
        Instant.EPOCH, Instant.EPOCH.plusSeconds(60), 1, "lock", null);
    assertThat(PropertyBag.encodeCloudToDevice(message)).isEqualTo("%24.mid=id-1"
        + "&%24.to=%2Fdevices%2Fdev%201%2Fmessages%2FdeviceBound&%24.cid=c%2F1&%24.ct=text%2Fplain&%24.ce=utf-8"
        + "&iothub-ack=full&prop%201=a%20b%2Bc%26d%3De&bare&empty=");
  }

  @Test
  void cloudToDeviceBagWithoutMessageIdStartsWithTo() {
    InboxMessage message = new InboxMessage("d", 1, "backend", MessageProperties.NONE, new byte[0], AckMode.NONE,
        Instant.EPOCH, Instant.EPOCH.plusSeconds(60), 1, "lock", null);
    assertThat(PropertyBag.encodeCloudToDevice(message)).isEqualTo("%24.to=%2Fdevices%2Fd%2Fmessages%2FdeviceBound");
    assertThat(DeviceTopics.deviceboundTopic(message))
        .isEqualTo("devices/d/messages/devicebound/%24.to=%2Fdevices%2Fd%2Fmessages%2FdeviceBound");
  }
}
