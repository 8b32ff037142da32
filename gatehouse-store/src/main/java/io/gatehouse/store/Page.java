package io.gatehouse.store;

import java.util.List;
import java.util.Optional;

/** One page of a listing; pass {@code continuationToken} back to get the next page. */
public record Page<T>(List<T> items, String continuationToken) {
  public Page {
    items = List.copyOf(items);
  }

  public Optional<String> next() {
    return Optional.ofNullable(continuationToken);
  }
}
