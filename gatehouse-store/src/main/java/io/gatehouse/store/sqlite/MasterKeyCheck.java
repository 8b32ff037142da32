package io.gatehouse.store.sqlite;

import io.gatehouse.core.crypto.SecretBox;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Refuses to start with a master key other than the one the database was created with. Without
 * it, a wrong key would surface only later, as devices failing to authenticate and new secrets
 * sealed under a key that the old ones do not open.
 */
final class MasterKeyCheck {
  private static final String NAME = "secret-box-check";
  private static final String ASSOCIATED_DATA = "store/" + NAME;
  private static final byte[] PLAINTEXT = "gatehouse".getBytes(StandardCharsets.US_ASCII);

  private final SecretBox box;

  MasterKeyCheck(SecretBox box) {
    this.box = box;
  }

  /** On the first start records the check value; afterwards verifies it. Auto-commit connection. */
  void verify(Connection connection) throws SQLException {
    // Insert-if-absent, then read back: if two processes start on a new file at once, both
    // verify against whichever value won.
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO store_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
      insert.setString(1, NAME);
      insert.setBytes(2, box.seal(PLAINTEXT, ASSOCIATED_DATA));
      insert.executeUpdate();
    }
    byte[] stored;
    try (PreparedStatement query = connection.prepareStatement("SELECT value FROM store_meta WHERE name = ?")) {
      query.setString(1, NAME);
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        stored = rs.getBytes(1);
      }
    }
    try {
      box.open(stored, ASSOCIATED_DATA);
    } catch (SecretBox.SecretBoxException e) {
      throw new IllegalStateException("the master key does not match this database: it is not the key the "
          + "database was created with, so its stored secrets cannot be opened. Start Gatehouse with the original "
          + "master key; refusing to start so that nothing is written under the wrong key");
    }
  }
}
