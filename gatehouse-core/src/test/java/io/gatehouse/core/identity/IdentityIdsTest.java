package io.gatehouse.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentityIdsTest {
  @ParameterizedTest
  @ValueSource(strings = {"dev1", "Dev-1.a_b", "a%b*c?d!e(f)g,h:i=j@k$l'm", "x"})
  void acceptsAzureIds(String id) {
    assertThat(IdentityIds.requireValid("device id", id)).isEqualTo(id);
    assertThat(IdentityIds.isValid(id)).isTrue();
  }

  @Test
  void acceptsExactly128Characters() {
    assertThat(IdentityIds.isValid("a".repeat(128))).isTrue();
    assertThatThrownBy(() -> IdentityIds.requireValid("device id", "a".repeat(129)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("129 characters long; at most 128");
  }

  @Test
  void namesTheOffendingCharacterAndPosition() {
    assertThatThrownBy(() -> IdentityIds.requireValid("device id", "dev/1"))
        .hasMessageContaining("'/' at position 4");
    assertThatThrownBy(() -> IdentityIds.requireValid("device id", "dev 1"))
        .hasMessageContaining("U+0020 at position 4");
    assertThatThrownBy(() -> IdentityIds.requireValid("device id", "dév"))
        .hasMessageContaining("U+00E9");
    assertThatThrownBy(() -> IdentityIds.requireValid("device id", "")).hasMessageContaining("missing");
    assertThatThrownBy(() -> IdentityIds.requireValid("device id", null)).hasMessageContaining("missing");
  }

  @Test
  void tagsAreValidatedAndSorted() {
    assertThat(Tags.copyValid(java.util.Map.of("site", "a", "floor", "2")).keySet()).containsExactly("floor", "site");
    assertThatThrownBy(() -> Tags.copyValid(java.util.Map.of("bad key", "x"))).hasMessageContaining("tag key 'bad key'");
  }
}
