package io.gatehouse.store.sqlite;

import io.gatehouse.core.authz.Grant;
import io.gatehouse.core.error.AlreadyExistsException;
import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.core.error.PreconditionFailedException;
import io.gatehouse.core.identity.Authentication.SymmetricKeys;
import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.core.identity.ServiceIdentity;
import io.gatehouse.store.AuditLine;
import io.gatehouse.store.DeviceQuery;
import io.gatehouse.store.Page;
import io.gatehouse.store.ServiceIdentityStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Service identities in SQLite, with the same etag, key sealing and time rules as devices.
 * {@link #find} answers from an {@link IdentityCache} (every service API call looks its caller up);
 * every write forgets the identity once committed.
 */
final class SqliteServiceIdentityStore implements ServiceIdentityStore {
  private static final String COLUMNS =
      "name, status, primary_key_sealed, secondary_key_sealed, etag, created_at, updated_at";

  private final SqliteWriter writer;
  private final ReadPool readers;
  private final KeySealer sealer;
  private final Etags etags;
  private final Clock clock;
  private final IdentityCache<ServiceIdentity> cache;
  private final SqliteAuditStore audit;

  SqliteServiceIdentityStore(SqliteWriter writer, ReadPool readers, KeySealer sealer, Etags etags, Clock clock,
      IdentityCache<ServiceIdentity> cache, SqliteAuditStore audit) {
    this.writer = writer;
    this.readers = readers;
    this.sealer = sealer;
    this.etags = etags;
    this.clock = clock;
    this.cache = cache;
    this.audit = audit;
  }

  private record Current(String etag, Instant createdAt) {}

  /** A row as read, keys still sealed. */
  private record Row(String name, String status, byte[] primarySealed, byte[] secondarySealed, String etag,
      Instant createdAt, Instant updatedAt) {}

  @Override
  public ServiceIdentity create(ServiceIdentity identity, AuditLine<ServiceIdentity> line) {
    Objects.requireNonNull(identity, "identity");
    byte[] primary = sealer.seal(owner(identity.name()), "primary", identity.keys().primaryKey());
    byte[] secondary = sealer.seal(owner(identity.name()), "secondary", identity.keys().secondaryKey());
    String etag = etags.next();
    return writer.execute(tx -> {
      Connection connection = tx.connection();
      if (current(connection, identity.name()).isPresent()) {
        throw new AlreadyExistsException("service identity '" + identity.name() + "' exists already");
      }
      forgetOnCommit(tx, identity.name());
      Instant now = Millis.truncate(clock.instant());
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO services (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, identity.name());
        insert.setString(2, identity.status().wireName());
        insert.setBytes(3, primary);
        insert.setBytes(4, secondary);
        insert.setString(5, etag);
        Millis.bind(insert, 6, now);
        Millis.bind(insert, 7, now);
        insert.executeUpdate();
      }
      GrantTables.write(connection, identity.name(), identity.grants());
      ServiceIdentity stored = identity.stamped(etag, now, now);
      audit.appendLine(tx, line, stored);
      return stored;
    });
  }

  @Override
  public Optional<ServiceIdentity> find(String name) {
    Objects.requireNonNull(name, "name");
    return cache.find(name, this::read);
  }

  private Optional<ServiceIdentity> read(String name) {
    return readers.read(connection -> {
      List<ServiceIdentity> found = load(connection, "SELECT " + COLUMNS + " FROM services WHERE name = ?", name, null);
      return found.stream().findFirst();
    });
  }

  @Override
  public ServiceIdentity replace(ServiceIdentity identity, String ifMatch, AuditLine<ServiceIdentity> line) {
    Objects.requireNonNull(identity, "identity");
    byte[] primary = sealer.seal(owner(identity.name()), "primary", identity.keys().primaryKey());
    byte[] secondary = sealer.seal(owner(identity.name()), "secondary", identity.keys().secondaryKey());
    String etag = etags.next();
    return writer.execute(tx -> {
      Connection connection = tx.connection();
      Current current = requireCurrent(connection, identity.name(), ifMatch);
      forgetOnCommit(tx, identity.name());
      Instant now = Millis.truncate(clock.instant());
      try (PreparedStatement update = connection.prepareStatement("UPDATE services SET status = ?,"
          + " primary_key_sealed = ?, secondary_key_sealed = ?, etag = ?, updated_at = ? WHERE name = ? AND etag = ?")) {
        update.setString(1, identity.status().wireName());
        update.setBytes(2, primary);
        update.setBytes(3, secondary);
        update.setString(4, etag);
        Millis.bind(update, 5, now);
        update.setString(6, identity.name());
        update.setString(7, current.etag());
        if (update.executeUpdate() != 1) {
          throw new PreconditionFailedException("service identity '" + identity.name()
              + "' was changed concurrently; read it again and retry");
        }
      }
      GrantTables.write(connection, identity.name(), identity.grants());
      ServiceIdentity stored = identity.stamped(etag, current.createdAt(), now);
      audit.appendLine(tx, line, stored);
      return stored;
    });
  }

  @Override
  public void delete(String name, String ifMatch, AuditLine<String> line) {
    Objects.requireNonNull(name, "name");
    writer.execute(tx -> {
      Connection connection = tx.connection();
      Current current = requireCurrent(connection, name, ifMatch);
      forgetOnCommit(tx, name);
      try (PreparedStatement delete = connection.prepareStatement("DELETE FROM services WHERE name = ? AND etag = ?")) {
        delete.setString(1, name);
        delete.setString(2, current.etag());
        if (delete.executeUpdate() != 1) {
          throw new PreconditionFailedException("service identity '" + name
              + "' was changed concurrently; read it again and retry");
        }
      }
      audit.appendLine(tx, line, name);
      return null;
    });
  }

  @Override
  public Page<ServiceIdentity> list(int pageSize, String continuationToken) {
    PageTokens.requirePageSize(pageSize, DeviceQuery.MAX_PAGE_SIZE);
    String after = PageTokens.decode(continuationToken);
    return readers.read(connection -> {
      List<ServiceIdentity> page = after == null
          ? load(connection, "SELECT " + COLUMNS + " FROM services ORDER BY name LIMIT ?", null, pageSize + 1)
          : load(connection, "SELECT " + COLUMNS + " FROM services WHERE name > ? ORDER BY name LIMIT ?", after,
              pageSize + 1);
      boolean more = page.size() > pageSize;
      List<ServiceIdentity> items = more ? page.subList(0, pageSize) : page;
      return new Page<>(items, more ? PageTokens.encode(items.getLast().name()) : null);
    });
  }

  /** Runs {@code sql} with an optional name and an optional limit, in that order, and builds the identities. */
  private List<ServiceIdentity> load(Connection connection, String sql, String name, Integer limit) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      int index = 1;
      if (name != null) {
        query.setString(index++, name);
      }
      if (limit != null) {
        query.setInt(index, limit);
      }
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          rows.add(new Row(rs.getString("name"), rs.getString("status"), rs.getBytes("primary_key_sealed"),
              rs.getBytes("secondary_key_sealed"), rs.getString("etag"), Millis.read(rs, "created_at"),
              Millis.read(rs, "updated_at")));
        }
      }
    }
    Map<String, List<Grant>> grants =
        GrantTables.load(connection, rows.stream().map(Row::name).toList());
    List<ServiceIdentity> identities = new ArrayList<>(rows.size());
    for (Row row : rows) {
      SymmetricKeys keys = new SymmetricKeys(sealer.open(owner(row.name()), "primary", row.primarySealed()),
          sealer.open(owner(row.name()), "secondary", row.secondarySealed()));
      identities.add(new ServiceIdentity(row.name(), IdentityStatus.fromWire(row.status()), keys,
          grants.get(row.name()), row.etag(), row.createdAt(), row.updatedAt()));
    }
    return identities;
  }

  private static Current requireCurrent(Connection connection, String name, String ifMatch) throws SQLException {
    Current current = current(connection, name)
        .orElseThrow(() -> new NotFoundException("no service identity '" + name + "'"));
    Etags.check("service identity '" + name + "'", ifMatch, current.etag());
    return current;
  }

  private static Optional<Current> current(Connection connection, String name) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT etag, created_at FROM services WHERE name = ?")) {
      query.setString(1, name);
      try (ResultSet rs = query.executeQuery()) {
        return rs.next() ? Optional.of(new Current(rs.getString("etag"), Millis.read(rs, "created_at"))) : Optional.empty();
      }
    }
  }

  /** For tests in this package. */
  IdentityCache.Stats cacheStats() {
    return cache.stats();
  }

  /** Hooks run only if the task commits: a failed write changed nothing worth forgetting. */
  private void forgetOnCommit(WriteTransaction tx, String name) {
    tx.afterCommit(() -> cache.invalidate(name));
  }

  private static String owner(String name) {
    return "service/" + name;
  }
}
