package io.gatehouse.core.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GroupKeysTest {
  @Test
  void derivesTheKeyOfAzureDocumentationVector() {
    // Azure DPS docs' vector, re-checked with openssl (azure-iot-facts §4.3).
    assertThat(GroupKeys.derive(
        "8isrFI1sGsIlvvFSSFRiMfCNzv21fjbE/+ah/lSh3lF8e2YG1Te7w1KpZhJFFXJrqYKi9yegxkqIChbqOS9Egw==",
        "sn-007-888-abc-mac-a1-b2-c3-d4-e5-f6"))
        .isEqualTo("Jsm0lyGpjaVYVP2g3FnmnmG9dI/9qU24wNoykUmermc=");
  }

  @Test
  void derivationDependsOnTheExactRegistrationId() {
    String group = "8isrFI1sGsIlvvFSSFRiMfCNzv21fjbE/+ah/lSh3lF8e2YG1Te7w1KpZhJFFXJrqYKi9yegxkqIChbqOS9Egw==";
    assertThat(GroupKeys.derive(group, "Sensor-1")).isNotEqualTo(GroupKeys.derive(group, "sensor-1"));
  }
}
