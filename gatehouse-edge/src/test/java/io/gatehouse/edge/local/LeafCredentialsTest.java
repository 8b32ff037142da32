package io.gatehouse.edge.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.edge.local.LeafCredentials.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeafCredentialsTest {
  private final LeafCredentials credentials = LeafCredentials.of(Map.of("pump-7", "s3cret-pump", "valve.2", "v"));

  @Test
  void acceptsTheRightPasswordOnly() {
    assertThat(credentials.check("pump-7", bytes("s3cret-pump"))).isEqualTo(Verdict.ACCEPTED);
    assertThat(credentials.check("pump-7", bytes("s3cret-pum"))).isEqualTo(Verdict.WRONG_PASSWORD);
    assertThat(credentials.check("pump-7", bytes("s3cret-pump "))).isEqualTo(Verdict.WRONG_PASSWORD);
    assertThat(credentials.check("pump-7", new byte[0])).isEqualTo(Verdict.WRONG_PASSWORD);
    assertThat(credentials.check("pump-7", null)).isEqualTo(Verdict.WRONG_PASSWORD);
    assertThat(credentials.check("valve.2", bytes("s3cret-pump"))).isEqualTo(Verdict.WRONG_PASSWORD);
  }

  @Test
  void unknownLeavesAreUnknownWhateverThePassword() {
    assertThat(credentials.check("pump-8", bytes("s3cret-pump"))).isEqualTo(Verdict.UNKNOWN_LEAF);
    assertThat(credentials.check(null, bytes("x"))).isEqualTo(Verdict.UNKNOWN_LEAF);
    assertThat(credentials.knows("pump-7")).isTrue();
    assertThat(credentials.knows("pump-8")).isFalse();
  }

  @Test
  void neverPrintsAPassword() {
    assertThat(credentials.toString()).isEqualTo("LeafCredentials[2 leaves]").doesNotContain("s3cret");
  }

  @Test
  void refusesIdsThatCannotBeTopicLevelsAndEmptyPasswords() {
    assertThatThrownBy(() -> LeafCredentials.of(Map.of("a/b", "pw"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a/b");
    assertThatThrownBy(() -> LeafCredentials.of(Map.of("a+", "pw"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LeafCredentials.of(Map.of("#", "pw"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LeafCredentials.of(Map.of("", "pw"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LeafCredentials.of(Map.of("x".repeat(129), "pw")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LeafCredentials.of(Map.of("pump", "")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pump").hasMessageContaining("no password");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
