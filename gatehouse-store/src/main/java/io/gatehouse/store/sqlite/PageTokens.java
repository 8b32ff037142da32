package io.gatehouse.store.sqlite;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.identity.IdentityIds;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Continuation tokens: the last key of the previous page, base64url so callers treat it as
 * opaque. Keyset paging, not offsets, so a page never repeats or skips rows when others are
 * added or removed meanwhile.
 */
final class PageTokens {
  private PageTokens() {}

  static String encode(String lastKey) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code null} for the first page. */
  static String decode(String token) {
    if (token == null) {
      return null;
    }
    try {
      String key = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (IdentityIds.isValid(key)) {
        return key;
      }
    } catch (IllegalArgumentException e) {
      // reported below, the same way as a token that decodes to nonsense
    }
    throw new InvalidInputException("continuationToken is not valid; pass the token of the previous page unchanged");
  }

  static void requirePageSize(int pageSize, int max) {
    if (pageSize < 1 || pageSize > max) {
      throw new InvalidInputException("pageSize must be 1 to " + max + ", got " + pageSize);
    }
  }
}
