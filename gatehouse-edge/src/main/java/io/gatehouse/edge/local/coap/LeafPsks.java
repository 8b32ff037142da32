package io.gatehouse.edge.local.coap;

import io.gatehouse.edge.local.LeafCredentials;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.crypto.SecretKey;
import org.eclipse.californium.scandium.util.SecretUtil;

/**
 * The DTLS pre-shared keys of the leaves: leaf id (the PSK identity) → secret. Held only in memory,
 * copied on the way in and out (Scandium destroys each key it is handed), and never printed: not by
 * {@link #toString()}, not in any message.
 *
 * <p>A key must be 16 to 64 bytes: RFC 7925 recommends at least 128 bits of entropy for a PSK.
 */
public final class LeafPsks {
  public static final int MIN_KEY_BYTES = 16;
  public static final int MAX_KEY_BYTES = 64;

  private final Map<String, byte[]> keys;

  private LeafPsks(Map<String, byte[]> keys) {
    this.keys = keys;
  }

  /**
   * @throws IllegalArgumentException for an invalid leaf id or a key of the wrong size (the message
   *     names the leaf and the size, never the key)
   */
  public static LeafPsks of(Map<String, byte[]> keysByLeaf) {
    Objects.requireNonNull(keysByLeaf, "keysByLeaf");
    Map<String, byte[]> copy = new HashMap<>();
    keysByLeaf.forEach((leafId, key) -> {
      LeafCredentials.checkLeafId(leafId);
      int size = key == null ? 0 : key.length;
      if (size < MIN_KEY_BYTES || size > MAX_KEY_BYTES) {
        throw new IllegalArgumentException("the PSK of leaf " + leafId + " has " + size + " bytes; give every leaf a "
            + "random key of " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES + " bytes (e.g. openssl rand -hex 16)");
      }
      copy.put(leafId, key.clone());
    });
    return new LeafPsks(Map.copyOf(copy));
  }

  public boolean knows(String leafId) {
    return leafId != null && keys.containsKey(leafId);
  }

  public Set<String> leafIds() {
    return keys.keySet();
  }

  public int size() {
    return keys.size();
  }

  /** A fresh key object for Scandium, which destroys it after use; null for an unknown leaf. */
  SecretKey secretFor(String leafId) {
    byte[] key = leafId == null ? null : keys.get(leafId);
    return key == null ? null : SecretUtil.create(key, "PSK");
  }

  @Override
  public String toString() {
    return "LeafPsks[" + keys.size() + " leaves]";
  }
}
