package io.gatehouse.store.sqlite;

import io.gatehouse.core.error.AlreadyExistsException;
import io.gatehouse.core.error.ConflictException;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.core.error.PreconditionFailedException;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.store.AuditLine;
import io.gatehouse.store.DeviceQuery;
import io.gatehouse.store.DeviceStore;
import io.gatehouse.store.LeafLink;
import io.gatehouse.store.Page;
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
 * Devices in SQLite. Writes go through the {@link SqliteWriter}; keys are sealed on the caller's
 * thread so the writer does only database work. Times are truncated to milliseconds, and the
 * device returned by {@link #create} and {@link #replace} is exactly what a later read returns.
 * {@code replace} keeps the stored creation and last-activity times, whatever the argument says.
 * {@link #recordActivity} returns at once: activity is coalesced in memory and written with the next
 * group commit (see {@link ActivityRecorder}). {@link #find} answers from an {@link IdentityCache}
 * (devices are looked up to authenticate every HTTPS device call and every send to a device); every
 * write, activity included, forgets the device once committed.
 */
final class SqliteDeviceStore implements DeviceStore {
  private final SqliteWriter writer;
  private final ReadPool readers;
  private final DeviceRows rows;
  private final Etags etags;
  private final Clock clock;
  private final ActivityRecorder activity;
  private final IdentityCache<Device> cache;
  private final SqliteAuditStore audit;

  SqliteDeviceStore(SqliteWriter writer, ReadPool readers, DeviceRows rows, Etags etags, Clock clock,
      ActivityRecorder activity, IdentityCache<Device> cache, SqliteAuditStore audit) {
    this.writer = writer;
    this.readers = readers;
    this.rows = rows;
    this.etags = etags;
    this.clock = clock;
    this.activity = activity;
    this.cache = cache;
    this.audit = audit;
  }

  /** What the conditional writes need to know of the stored row. */
  private record Current(String etag, Instant createdAt, Instant lastActivityAt) {}

  @Override
  public Device create(Device device, AuditLine<Device> line) {
    return writer.execute(creating(device, line));
  }

  /**
   * The create as a task, keys sealed and etag drawn already (on the caller's thread), for a
   * transaction that writes more than the device (provisioning: device, registration and used
   * token at once).
   */
  WriteTask<Device> creating(Device device, AuditLine<Device> line) {
    Objects.requireNonNull(device, "device");
    DeviceRows.AuthColumns auth = rows.seal(device.id(), device.authentication());
    String etag = etags.next();
    return tx -> {
      Connection connection = tx.connection();
      if (current(connection, device.id()).isPresent()) {
        throw new AlreadyExistsException("device '" + device.id() + "' exists already");
      }
      forgetOnCommit(tx, device.id());
      requireParent(connection, device);
      Instant now = Millis.truncate(clock.instant());
      Device stored = stamped(device, etag, now, now, Millis.truncate(device.lastActivityAt()));
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO devices (id, "
          + DeviceRows.CONTENT_COLUMNS + ", etag, created_at, updated_at, last_activity_at)"
          + " VALUES (?" + ", ?".repeat(DeviceRows.CONTENT_COUNT + 4) + ")")) {
        insert.setString(1, stored.id());
        int next = DeviceRows.bindContent(insert, 2, stored, auth);
        insert.setString(next++, etag);
        Millis.bind(insert, next++, now);
        Millis.bind(insert, next++, now);
        Millis.bind(insert, next, stored.lastActivityAt());
        insert.executeUpdate();
      }
      DeviceTagsTable.write(connection, stored.id(), stored.tags());
      audit.appendLine(tx, line, stored);
      return stored;
    };
  }

  @Override
  public Optional<Device> find(String id) {
    Objects.requireNonNull(id, "id");
    return cache.find(id, this::read);
  }

  private Optional<Device> read(String id) {
    return readers.read(connection -> {
      DeviceRows.Row row;
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT " + DeviceRows.COLUMNS + " FROM devices d WHERE d.id = ?")) {
        query.setString(1, id);
        try (ResultSet rs = query.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          row = DeviceRows.read(rs);
        }
      }
      Map<String, String> tags = DeviceTagsTable.load(connection, List.of(id)).getOrDefault(id, Map.of());
      return Optional.of(rows.toDevice(row, tags));
    });
  }

  @Override
  public Device replace(Device device, String ifMatch, AuditLine<Device> line) {
    return writer.execute(replacing(device, ifMatch, line));
  }

  /** The replace as a task, like {@link #creating}. */
  WriteTask<Device> replacing(Device device, String ifMatch, AuditLine<Device> line) {
    Objects.requireNonNull(device, "device");
    DeviceRows.AuthColumns auth = rows.seal(device.id(), device.authentication());
    String etag = etags.next();
    return tx -> {
      Connection connection = tx.connection();
      Current current = requireCurrent(connection, device.id(), ifMatch);
      forgetOnCommit(tx, device.id());
      requireParent(connection, device);
      Instant now = Millis.truncate(clock.instant());
      // WHERE etag = the one just checked: redundant behind a single writer, but it keeps the
      // statement itself safe wherever several writers share the database.
      try (PreparedStatement update = connection.prepareStatement("UPDATE devices SET "
          + DeviceRows.CONTENT_ASSIGNMENTS + ", etag = ?, updated_at = ? WHERE id = ? AND etag = ?")) {
        int next = DeviceRows.bindContent(update, 1, device, auth);
        update.setString(next++, etag);
        Millis.bind(update, next++, now);
        update.setString(next++, device.id());
        update.setString(next, current.etag());
        if (update.executeUpdate() != 1) {
          throw new PreconditionFailedException("device '" + device.id() + "' was changed concurrently; read it again and retry");
        }
      }
      DeviceTagsTable.write(connection, device.id(), device.tags());
      Device stored = stamped(device, etag, current.createdAt(), now, current.lastActivityAt());
      audit.appendLine(tx, line, stored);
      return stored;
    };
  }

  @Override
  public void delete(String id, String ifMatch, AuditLine<String> line) {
    Objects.requireNonNull(id, "id");
    writer.execute(tx -> {
      Connection connection = tx.connection();
      Current current = requireCurrent(connection, id, ifMatch);
      forgetOnCommit(tx, id);
      long children = countChildren(connection, id);
      if (children > 0) {
        throw new ConflictException("device '" + id + "' is the parent of " + children
            + " device(s); move or delete them first");
      }
      // In the same transaction: a device created later under this id must not inherit the
      // messages, and their senders hear "Purged" exactly when the device is gone.
      InboxTable.purge(connection, id, Millis.truncate(clock.instant()));
      try (PreparedStatement delete = connection.prepareStatement("DELETE FROM devices WHERE id = ? AND etag = ?")) {
        delete.setString(1, id);
        delete.setString(2, current.etag());
        if (delete.executeUpdate() != 1) {
          throw new PreconditionFailedException("device '" + id + "' was changed concurrently; read it again and retry");
        }
      }
      audit.appendLine(tx, line, id);
      return null;
    });
  }

  @Override
  public Page<Device> list(DeviceQuery query) {
    Objects.requireNonNull(query, "query");
    String after = PageTokens.decode(query.continuationToken());
    DeviceListSql sql = DeviceListSql.of(query, after);
    return readers.read(connection -> {
      List<DeviceRows.Row> page = new ArrayList<>(query.pageSize() + 1);
      try (PreparedStatement statement = connection.prepareStatement(sql.text())) {
        sql.bind(statement);
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            page.add(DeviceRows.read(rs));
          }
        }
      }
      // One row more than a page was asked for: it tells whether a next page exists, so the last
      // page carries no token instead of a token to an empty page.
      boolean more = page.size() > query.pageSize();
      if (more) {
        page.removeLast();
      }
      Map<String, Map<String, String>> tags =
          DeviceTagsTable.load(connection, page.stream().map(DeviceRows.Row::id).toList());
      List<Device> devices = new ArrayList<>(page.size());
      for (DeviceRows.Row row : page) {
        devices.add(rows.toDevice(row, tags.getOrDefault(row.id(), Map.of())));
      }
      return new Page<>(devices, more ? PageTokens.encode(page.getLast().id()) : null);
    });
  }

  @Override
  public long countChildren(String parentId) {
    Objects.requireNonNull(parentId, "parentId");
    return readers.read(connection -> countChildren(connection, parentId));
  }

  @Override
  public List<LeafLink> leafLinks() {
    return readers.read(connection -> {
      List<LeafLink> links = new ArrayList<>();
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT id, parent_id, status, updated_at FROM devices WHERE parent_id IS NOT NULL")) {
        try (ResultSet rs = query.executeQuery()) {
          while (rs.next()) {
            links.add(new LeafLink(rs.getString(1), rs.getString(2),
                IdentityStatus.fromWire(rs.getString(3)), Instant.ofEpochMilli(rs.getLong(4))));
          }
        }
      }
      return links;
    });
  }

  @Override
  public void recordActivity(String id, Instant at) {
    activity.record(Objects.requireNonNull(id, "id"), Objects.requireNonNull(at, "at"));
  }

  /** For tests in this package. */
  IdentityCache.Stats cacheStats() {
    return cache.stats();
  }

  /** Hooks run only if the task commits: a failed write changed nothing worth forgetting. */
  private void forgetOnCommit(WriteTransaction tx, String id) {
    tx.afterCommit(() -> cache.invalidate(id));
  }

  private static Device stamped(Device device, String etag, Instant created, Instant updated, Instant lastActivity) {
    return new Device(device.id(), device.kind(), device.status(), device.statusReason(), device.authentication(),
        device.parentId(), device.tags(), etag, created, updated, lastActivity, truncated(device.provisioning()));
  }

  private static io.gatehouse.core.identity.Provisioning truncated(io.gatehouse.core.identity.Provisioning p) {
    return p == null ? null : new io.gatehouse.core.identity.Provisioning(p.attestation(), p.registrationId(),
        p.enrollment(), Millis.truncate(p.provisionedAt()));
  }

  private static Current requireCurrent(Connection connection, String id, String ifMatch) throws SQLException {
    Current current = current(connection, id)
        .orElseThrow(() -> new NotFoundException("no device '" + id + "'"));
    Etags.check("device '" + id + "'", ifMatch, current.etag());
    return current;
  }

  private static Optional<Current> current(Connection connection, String id) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT etag, created_at, last_activity_at FROM devices WHERE id = ?")) {
      query.setString(1, id);
      try (ResultSet rs = query.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new Current(rs.getString("etag"), Millis.read(rs, "created_at"),
            Millis.read(rs, "last_activity_at")));
      }
    }
  }

  private static void requireParent(Connection connection, Device device) throws SQLException {
    if (device.parentId() != null && current(connection, device.parentId()).isEmpty()) {
      throw new InvalidInputException("parent '" + device.parentId() + "' is not a registered device");
    }
  }

  private static long countChildren(Connection connection, String parentId) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM devices WHERE parent_id = ?")) {
      query.setString(1, parentId);
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
