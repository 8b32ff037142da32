package io.gatehouse.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.server.mqtt.DeviceTopics.Subscription;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicsAndUserNameTest {
  @Test
  void eventsTopicsWithAndWithoutSlashAndBag() {
    assertThat(D2cTopic.parse("devices/d1/messages/events/")).contains(new D2cTopic("d1", ""));
    assertThat(D2cTopic.parse("devices/d1/messages/events")).contains(new D2cTopic("d1", ""));
    assertThat(D2cTopic.parse("devices/d1/messages/events/$.mid=1&a=b")).contains(new D2cTopic("d1", "$.mid=1&a=b"));
    assertThat(D2cTopic.parse("devices/d1/messages/events/a=b/")).contains(new D2cTopic("d1", "a=b"));
    assertThat(D2cTopic.parse("devices/d1/messages/events/$.ct=application/json"))
        .contains(new D2cTopic("d1", "$.ct=application/json"));
  }

  @Test
  void otherTopicsAreNotEventsTopics() {
    assertThat(D2cTopic.parse("devices/d1/messages/eventsX")).isEmpty();
    assertThat(D2cTopic.parse("devices/d1/modules/m1/messages/events/")).isEmpty();
    assertThat(D2cTopic.parse("devices//messages/events/")).isEmpty();
    assertThat(D2cTopic.parse("$iothub/twin/GET/?$rid=1")).isEmpty();
    assertThat(D2cTopic.parse("devices/d1")).isEmpty();
  }

  @Test
  void onlyAzureFiltersAreServed() {
    assertThat(DeviceTopics.classify("devices/d1/messages/devicebound/#")).contains(new Subscription.Inbox("d1"));
    assertThat(DeviceTopics.classify("devices/leaf-7/messages/devicebound/#"))
        .contains(new Subscription.Inbox("leaf-7"));
    assertThat(DeviceTopics.classify("$iothub/twin/res/#")).contains(Subscription.Feature.TWIN_RESPONSES);
    assertThat(DeviceTopics.classify("$iothub/twin/PATCH/properties/desired/#"))
        .contains(Subscription.Feature.TWIN_DESIRED_PATCHES);
    assertThat(DeviceTopics.classify("$iothub/methods/POST/#")).contains(Subscription.Feature.DIRECT_METHODS);
    for (String filter : new String[] {"devices/d1/messages/devicebound/+", "devices/+/messages/devicebound/#",
        "devices/#/messages/devicebound/#", "devices//messages/devicebound/#", "devices/a/b/messages/devicebound/#",
        "#", "devices/d1/messages/events/", "$share/g/devices/d1/messages/devicebound/#"}) {
      assertThat(DeviceTopics.classify(filter)).as(filter).isEmpty();
    }
  }

  @Test
  void azureUserNamesAsTheSdksSendThem() {
    Optional<AzureUserName> java = AzureUserName.parse("hub.example.net/dev1/?api-version=2020-09-30"
        + "&DeviceClientType=com.microsoft.azure.sdk.iot.iot-device-client%2F2.5.0%20(Java)&model-id=dtmi%3Aa%3Bb");
    assertThat(java).get().satisfies(u -> {
      assertThat(u.hostName()).isEqualTo("hub.example.net");
      assertThat(u.deviceId()).isEqualTo("dev1");
      assertThat(u.moduleId()).isNull();
      assertThat(u.apiVersion()).isEqualTo("2020-09-30");
    });
    assertThat(AzureUserName.parse("hub/dev1/?DeviceClientType=c&api-version=2021-04-12")).get()
        .extracting(AzureUserName::apiVersion).isEqualTo("2021-04-12");
    assertThat(AzureUserName.parse("hub/dev1/mod1/?api-version=1")).get().extracting(AzureUserName::moduleId)
        .isEqualTo("mod1");
    assertThat(AzureUserName.parse("hub/dev1/api-version=1")).get().extracting(AzureUserName::deviceId)
        .isEqualTo("dev1");
  }

  @Test
  void userNamesWithoutApiVersionOrIdentityAreRefused() {
    assertThat(AzureUserName.parse("hub/dev1/?model-id=x")).isEmpty();
    assertThat(AzureUserName.parse("hub/dev1/?api-version=")).isEmpty();
    assertThat(AzureUserName.parse("dev1")).isEmpty();
    assertThat(AzureUserName.parse("hub/?api-version=1")).isEmpty();
    assertThat(AzureUserName.parse("/dev1/?api-version=1")).isEmpty();
    assertThat(AzureUserName.parse(null)).isEmpty();
  }
}
