package io.gatehouse.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiPathTest {
  @Test
  void encodesEverySegmentAndQueryValue() {
    assertThat(ApiPath.of("devices", "a%b?c/d$'", "keys", "regenerate")).hasToString(
        "/devices/a%25b%3Fc%2Fd%24%27/keys/regenerate");
    assertThat(ApiPath.of("audit").query("from", 101L).query("limit", null).query("x y", "a+b"))
        .hasToString("/audit?from=101&x%20y=a%2Bb");
  }
}
