package io.gatehouse.store.sqlite;

import io.gatehouse.core.crypto.SecretBox;
import java.nio.charset.StandardCharsets;

/**
 * Seals symmetric keys for storage. The associated data names the owner and slot
 * ({@code device/dev1/primary}), so a ciphertext copied into another row or slot does not open.
 * The base64 text is sealed as given, so the key reads back exactly as it was written.
 */
final class KeySealer {
  private final SecretBox box;

  KeySealer(SecretBox box) {
    this.box = box;
  }

  byte[] seal(String owner, String slot, String base64Key) {
    return box.seal(base64Key.getBytes(StandardCharsets.US_ASCII), owner + "/" + slot);
  }

  /** @throws io.gatehouse.core.crypto.SecretBox.SecretBoxException naming the owner and slot, never the key */
  String open(String owner, String slot, byte[] sealed) {
    return new String(box.open(sealed, owner + "/" + slot), StandardCharsets.US_ASCII);
  }
}
