package io.gatehouse.device.tpm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RegistrationIdsTest {
  @Test
  void base32FollowsRfc4648InLowerCaseWithoutPadding() {
    // RFC 4648 §10 test vectors ("MZXW6YTBOI======" for "foobar"), lower-cased, '=' removed.
    String[][] vectors = {{"", ""}, {"f", "my"}, {"fo", "mzxq"}, {"foo", "mzxw6"}, {"foob", "mzxw6yq"},
        {"fooba", "mzxw6ytb"}, {"foobar", "mzxw6ytboi"}};
    for (String[] v : vectors) {
      assertThat(RegistrationIds.base32(v[0].getBytes(StandardCharsets.US_ASCII))).as(v[0]).isEqualTo(v[1]);
    }
  }

  @Test
  void theIdOfAnEndorsementKeyIs52CharactersThatDpsAccepts() {
    // SHA-256("abc"), base32 by coreutils: printf abc | sha256sum | xxd -r -p | base32 | tr A-Z a-z | tr -d =
    assertThat(RegistrationIds.fromEndorsementKey("abc".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("xj4bnp4pahh6uqkbidpf3lrceoyagyndsylxvhfucd7wd4qacwwq")
        .matches("^[a-z0-9-]{1,128}$");
  }
}
