package io.gatehouse.store.sqlite;

import static io.gatehouse.store.sqlite.TestStores.device;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.audit.AuditEntry;
import io.gatehouse.core.audit.AuditEvent;
import io.gatehouse.core.authz.Grant;
import io.gatehouse.core.authz.Permission;
import io.gatehouse.core.crypto.SecretBox;
import io.gatehouse.core.identity.Authentication.SymmetricKeys;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.core.identity.ServiceIdentity;
import io.gatehouse.core.testing.MutableClock;
import io.gatehouse.core.x509.CaCertificate;
import io.gatehouse.core.x509.Certificates;
import io.gatehouse.store.DeviceQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock();

  private Path file() {
    return dir.resolve("gatehouse.db");
  }

  private List<Long> schemaVersions() throws SQLException {
    List<Long> versions = new ArrayList<>();
    try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file());
        PreparedStatement query = raw.prepareStatement("SELECT version FROM schema_version ORDER BY version");
        ResultSet rs = query.executeQuery()) {
      while (rs.next()) {
        versions.add(rs.getLong(1));
      }
    }
    return versions;
  }

  private void rawUpdate(String sql, Object... parameters) throws SQLException {
    try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file());
        PreparedStatement statement = raw.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      statement.executeUpdate();
    }
  }

  @Test
  void createsItsDirectoryAndAppliesDurableSettings() throws Exception {
    Path nested = dir.resolve("a/b/gatehouse.db");
    try (SqliteStore store = TestStores.open(nested, clock)) {
      assertThat(nested).exists();
      String mode = store.writer().execute(tx -> pragma(tx.connection(), "journal_mode"));
      String synchronous = store.writer().execute(tx -> pragma(tx.connection(), "synchronous"));
      String foreignKeys = store.writer().execute(tx -> pragma(tx.connection(), "foreign_keys"));
      assertThat(mode).isEqualTo("wal");
      assertThat(synchronous).isEqualTo("2");
      assertThat(foreignKeys).isEqualTo("1");
    }
  }

  private static String pragma(Connection connection, String name) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("PRAGMA " + name);
        ResultSet rs = query.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void openingAgainAppliesNoMigrationTwice() throws Exception {
    try (SqliteStore store = TestStores.open(file(), clock)) {
      store.devices().create(device("dev-1"));
    }
    assertThat(schemaVersions()).containsExactly(1L, 2L, 3L, 4L, 5L);
    try (SqliteStore store = TestStores.open(file(), clock)) {
      assertThat(store.devices().find("dev-1")).isPresent();
    }
    assertThat(schemaVersions()).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void refusesADatabaseFromANewerRelease() throws Exception {
    TestStores.open(file(), clock).close();
    rawUpdate("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)", 99, "future", 0);

    assertThatThrownBy(() -> TestStores.open(file(), clock))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("schema is version 99, newer than this Gatehouse supports (version 5)");
  }

  @Test
  void refusesTheWrongMasterKey() {
    try (SqliteStore store = TestStores.open(file(), clock)) {
      store.devices().create(device("dev-1"));
    }
    assertThatThrownBy(() -> TestStores.open(file(), clock, TestStores.OTHER_KEY))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("master key does not match this database");
    try (SqliteStore store = TestStores.open(file(), clock)) {
      assertThat(store.devices().find("dev-1")).isPresent();
    }
  }

  @Test
  void keysAreNeverStoredInPlaintext() throws Exception {
    List<String> keys = new ArrayList<>();
    try (SqliteStore store = TestStores.open(file(), clock)) {
      Device created = store.devices().create(device("dev-1"));
      // Rotated keys: the old ciphertext may linger in the WAL or free pages; it is still only ciphertext.
      Device rotated = store.devices().replace(created.withAuthentication(TestStores.newKeys()), created.etag());
      ServiceIdentity service = store.services().create(new ServiceIdentity("backend", IdentityStatus.ENABLED,
          TestStores.newKeys(), List.of(Grant.unscoped(Permission.ADMIN)), null, null, null));
      for (Device d : List.of(created, rotated)) {
        SymmetricKeys deviceKeys = (SymmetricKeys) d.authentication();
        keys.add(deviceKeys.primaryKey());
        keys.add(deviceKeys.secondaryKey());
      }
      keys.add(service.keys().primaryKey());
      keys.add(service.keys().secondaryKey());
      assertThat(store.devices().find("dev-1")).contains(rotated);
      assertNoKeyInFiles(keys);
    }
    assertNoKeyInFiles(keys);
  }

  private void assertNoKeyInFiles(List<String> keys) throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(Files::isRegularFile).toList();
    }
    assertThat(files).extracting(p -> p.getFileName().toString()).contains("gatehouse.db");
    for (Path path : files) {
      byte[] content = Files.readAllBytes(path);
      for (String key : keys) {
        assertThat(indexOf(content, key.getBytes(StandardCharsets.US_ASCII)))
            .as("base64 key in %s", path.getFileName()).isEqualTo(-1);
        assertThat(indexOf(content, Base64.getDecoder().decode(key)))
            .as("raw key bytes in %s", path.getFileName()).isEqualTo(-1);
      }
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void aKeyMovedToAnotherDeviceDoesNotOpen() throws Exception {
    SymmetricKeys stolen;
    try (SqliteStore store = TestStores.open(file(), clock)) {
      stolen = (SymmetricKeys) store.devices().create(device("victim")).authentication();
      store.devices().create(device("attacker"));
    }
    rawUpdate("UPDATE devices SET primary_key_sealed = (SELECT primary_key_sealed FROM devices WHERE id = ?)"
        + " WHERE id = ?", "victim", "attacker");

    try (SqliteStore store = TestStores.open(file(), clock)) {
      assertThatThrownBy(() -> store.devices().find("attacker"))
          .isInstanceOf(SecretBox.SecretBoxException.class)
          .hasMessageContaining("device/attacker/primary does not open")
          .message().doesNotContain(stolen.primaryKey());
      assertThat(store.devices().find("victim")).isPresent();
    }
  }

  @Test
  void everythingSurvivesARestart() {
    X509Certificate certificate = TestCertificates.selfSignedCa("Root");
    Device device;
    ServiceIdentity service;
    CaCertificate ca;
    List<AuditEntry> entries = new ArrayList<>();
    try (SqliteStore store = TestStores.open(file(), clock)) {
      device = store.devices().create(device("dev-1"));
      service = store.services().create(new ServiceIdentity("backend", IdentityStatus.ENABLED, TestStores.newKeys(),
          List.of(Grant.unscoped(Permission.AUDIT_READ)), null, null, null));
      ca = store.caCertificates().add(new CaCertificate("root", certificate,
          Certificates.sha256Thumbprint(certificate), null));
      for (int i = 0; i < 3; i++) {
        entries.add(store.audit().append(new AuditEvent(clock.instant(), "admin", "action-" + i, "x",
            AuditEvent.Outcome.SUCCESS, "", "127.0.0.1")));
      }
    }
    try (SqliteStore store = TestStores.open(file(), clock)) {
      assertThat(store.devices().find("dev-1")).contains(device);
      assertThat(store.devices().list(DeviceQuery.all()).items()).containsExactly(device);
      assertThat(store.services().find("backend")).contains(service);
      assertThat(store.caCertificates().find("root")).contains(ca);
      assertThat(store.audit().read(1, 10)).containsExactlyElementsOf(entries);
    }
  }

  @Test
  void closeIsIdempotentAndTheStoreRefusesLaterUse() {
    SqliteStore store = TestStores.open(file(), clock);
    store.close();
    store.close();
    assertThatThrownBy(() -> store.devices().create(device("late"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> store.devices().find("late")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
