package io.gatehouse.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentityCacheTest {
  private final List<String> loads = new ArrayList<>();

  private IdentityCache.Loader<String> loader(String value) {
    return id -> {
      loads.add(id);
      return Optional.ofNullable(value);
    };
  }

  @Test
  void aSecondLookupIsAnsweredWithoutLoading() {
    IdentityCache<String> cache = new IdentityCache<>(4);
    assertThat(cache.find("a", loader("A1"))).contains("A1");
    assertThat(cache.find("a", loader("A2"))).contains("A1");
    assertThat(loads).containsExactly("a");
    assertThat(cache.stats()).isEqualTo(new IdentityCache.Stats(1, 1, 0, 1));
  }

  @Test
  void anInvalidatedEntryIsLoadedAgain() {
    IdentityCache<String> cache = new IdentityCache<>(4);
    cache.find("a", loader("old"));
    cache.invalidate("a");
    assertThat(cache.find("a", loader("new"))).contains("new");
    assertThat(loads).containsExactly("a", "a");
  }

  @Test
  void absentIdentitiesAreNotRemembered() {
    IdentityCache<String> cache = new IdentityCache<>(4);
    assertThat(cache.find("nobody", loader(null))).isEmpty();
    assertThat(cache.find("nobody", loader("created since"))).contains("created since");
    assertThat(cache.stats().size()).isEqualTo(1);
  }

  @Test
  void holdsAtMostItsCapacityDroppingTheLeastRecentlyUsed() {
    IdentityCache<String> cache = new IdentityCache<>(2);
    cache.find("a", loader("A"));
    cache.find("b", loader("B"));
    cache.find("a", loader("A"));
    cache.find("c", loader("C"));
    assertThat(cache.stats().size()).isEqualTo(2);
    loads.clear();
    cache.find("a", loader("A"));
    cache.find("c", loader("C"));
    assertThat(loads).isEmpty();
    cache.find("b", loader("B"));
    assertThat(loads).containsExactly("b");
  }

  @Test
  void aLoadThatRacedAChangeIsNotKept() {
    IdentityCache<String> cache = new IdentityCache<>(4);
    // The change commits (and invalidates) while the lookup is reading: what it read may predate it.
    IdentityCache.Loader<String> racing = id -> {
      loads.add(id);
      cache.invalidate(id);
      return Optional.of("possibly stale");
    };
    assertThat(cache.find("a", racing)).contains("possibly stale");
    assertThat(cache.find("a", loader("fresh"))).contains("fresh");
    assertThat(loads).containsExactly("a", "a");
    assertThat(cache.find("a", loader("unused"))).contains("fresh");
  }
}
