package io.gatehouse.cli.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TagTest {
  @Test
  void splitsAtTheFirstEquals() {
    assertThat(Tag.parse("site=plant-7")).isEqualTo(new Tag("site", "plant-7"));
    assertThat(Tag.parse("expr=a=b")).isEqualTo(new Tag("expr", "a=b"));
    assertThat(Tag.parse("empty=")).isEqualTo(new Tag("empty", ""));
  }

  @Test
  void refusesMalformedTags() {
    assertThatThrownBy(() -> Tag.parse("site")).hasMessageContaining("must be KEY=VALUE, e.g. site=plant-7");
    assertThatThrownBy(() -> Tag.parse("=x")).hasMessageContaining("must be KEY=VALUE");
    assertThatThrownBy(() -> Tag.parse("bad key=x")).hasMessageContaining("tag key 'bad key'");
  }

  @Test
  void refusesTheSameKeyTwice() {
    assertThat(Tag.toMap(List.of(new Tag("a", "1"), new Tag("b", "2")))).isEqualTo(Map.of("a", "1", "b", "2"));
    assertThatThrownBy(() -> Tag.toMap(List.of(new Tag("a", "1"), new Tag("a", "2"))))
        .hasMessageContaining("tag 'a' is given twice");
  }
}
