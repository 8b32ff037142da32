package io.gatehouse.store.sqlite;

import io.gatehouse.core.error.AlreadyExistsException;
import io.gatehouse.core.error.LimitExceededException;
import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.core.error.PreconditionFailedException;
import io.gatehouse.core.provisioning.Enrollment;
import io.gatehouse.core.provisioning.EnrollmentKind;
import io.gatehouse.store.DeviceQuery;
import io.gatehouse.store.EnrollmentStore;
import io.gatehouse.store.Page;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Enrollments in SQLite: keys sealed on the caller's thread, writes through the {@link SqliteWriter}. */
final class SqliteEnrollmentStore implements EnrollmentStore {
  private final SqliteWriter writer;
  private final ReadPool readers;
  private final EnrollmentRows rows;
  private final Etags etags;
  private final Clock clock;

  SqliteEnrollmentStore(SqliteWriter writer, ReadPool readers, EnrollmentRows rows, Etags etags, Clock clock) {
    this.writer = writer;
    this.readers = readers;
    this.rows = rows;
    this.etags = etags;
    this.clock = clock;
  }

  private record Current(String etag, Instant createdAt) {}

  @Override
  public Enrollment create(Enrollment enrollment) {
    Objects.requireNonNull(enrollment, "enrollment");
    EnrollmentRows.Sealed sealed = rows.seal(enrollment);
    String etag = etags.next();
    return writer.execute(tx -> {
      Connection connection = tx.connection();
      if (current(connection, enrollment.kind(), enrollment.id()).isPresent()) {
        throw new AlreadyExistsException(describe(enrollment.kind(), enrollment.id()) + " exists already");
      }
      if (enrollment.kind() == EnrollmentKind.GROUP && countGroups(connection) >= MAX_GROUPS) {
        throw new LimitExceededException("there are " + MAX_GROUPS + " enrollment groups already, the most allowed; "
            + "delete one first");
      }
      Instant now = Millis.truncate(clock.instant());
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO enrollments (" + EnrollmentRows.COLUMNS
          + ") VALUES (?, ?" + ", ?".repeat(EnrollmentRows.CONTENT_COUNT + 3) + ")")) {
        insert.setString(1, enrollment.kind().wireName());
        insert.setString(2, enrollment.id());
        int next = EnrollmentRows.bindContent(insert, 3, enrollment, sealed);
        insert.setString(next++, etag);
        Millis.bind(insert, next++, now);
        Millis.bind(insert, next, now);
        insert.executeUpdate();
      }
      return enrollment.stamped(etag, now, now);
    });
  }

  @Override
  public Optional<Enrollment> find(EnrollmentKind kind, String id) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    List<EnrollmentRows.Row> found = readers.read(connection -> query(connection,
        "SELECT " + EnrollmentRows.COLUMNS + " FROM enrollments WHERE kind = ? AND id = ?", kind.wireName(), id));
    return found.stream().findFirst().map(rows::toEnrollment);
  }

  @Override
  public Enrollment replace(Enrollment enrollment, String ifMatch) {
    Objects.requireNonNull(enrollment, "enrollment");
    EnrollmentRows.Sealed sealed = rows.seal(enrollment);
    String etag = etags.next();
    return writer.execute(tx -> {
      Connection connection = tx.connection();
      Current current = requireCurrent(connection, enrollment.kind(), enrollment.id(), ifMatch);
      Instant now = Millis.truncate(clock.instant());
      try (PreparedStatement update = connection.prepareStatement("UPDATE enrollments SET "
          + EnrollmentRows.CONTENT_ASSIGNMENTS + ", etag = ?, updated_at = ? WHERE kind = ? AND id = ? AND etag = ?")) {
        int next = EnrollmentRows.bindContent(update, 1, enrollment, sealed);
        update.setString(next++, etag);
        Millis.bind(update, next++, now);
        update.setString(next++, enrollment.kind().wireName());
        update.setString(next++, enrollment.id());
        update.setString(next, current.etag());
        if (update.executeUpdate() != 1) {
          throw concurrent(enrollment.kind(), enrollment.id());
        }
      }
      return enrollment.stamped(etag, current.createdAt(), now);
    });
  }

  @Override
  public void delete(EnrollmentKind kind, String id, String ifMatch) {
    writer.execute(tx -> {
      Connection connection = tx.connection();
      Current current = requireCurrent(connection, kind, id, ifMatch);
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM enrollments WHERE kind = ? AND id = ? AND etag = ?")) {
        delete.setString(1, kind.wireName());
        delete.setString(2, id);
        delete.setString(3, current.etag());
        if (delete.executeUpdate() != 1) {
          throw concurrent(kind, id);
        }
      }
      return null;
    });
  }

  @Override
  public Page<Enrollment> list(EnrollmentKind kind, int pageSize, String continuationToken) {
    PageTokens.requirePageSize(pageSize, DeviceQuery.MAX_PAGE_SIZE);
    String after = PageTokens.decode(continuationToken);
    List<EnrollmentRows.Row> page = readers.read(connection -> after == null
        ? query(connection, "SELECT " + EnrollmentRows.COLUMNS + " FROM enrollments WHERE kind = ? ORDER BY id LIMIT ?",
            kind.wireName(), pageSize + 1)
        : query(connection, "SELECT " + EnrollmentRows.COLUMNS
            + " FROM enrollments WHERE kind = ? AND id > ? ORDER BY id LIMIT ?", kind.wireName(), after, pageSize + 1));
    boolean more = page.size() > pageSize;
    List<EnrollmentRows.Row> items = more ? page.subList(0, pageSize) : page;
    return new Page<>(items.stream().map(rows::toEnrollment).toList(),
        more ? PageTokens.encode(items.getLast().id()) : null);
  }

  @Override
  public List<Enrollment> groups() {
    List<EnrollmentRows.Row> found = readers.read(connection -> query(connection,
        "SELECT " + EnrollmentRows.COLUMNS + " FROM enrollments WHERE kind = ? ORDER BY id LIMIT ?",
        EnrollmentKind.GROUP.wireName(), MAX_GROUPS));
    return found.stream().map(rows::toEnrollment).toList();
  }

  private static List<EnrollmentRows.Row> query(Connection connection, String sql, Object... parameters)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        if (parameters[i] instanceof Integer n) {
          statement.setInt(i + 1, n);
        } else {
          statement.setString(i + 1, (String) parameters[i]);
        }
      }
      List<EnrollmentRows.Row> found = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          found.add(EnrollmentRows.read(rs));
        }
      }
      return found;
    }
  }

  private static long countGroups(Connection connection) throws SQLException {
    try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM enrollments WHERE kind = 'group'");
        ResultSet rs = count.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Current requireCurrent(Connection connection, EnrollmentKind kind, String id, String ifMatch)
      throws SQLException {
    Current current = current(connection, kind, id)
        .orElseThrow(() -> new NotFoundException("no " + describe(kind, id)));
    Etags.check(describe(kind, id), ifMatch, current.etag());
    return current;
  }

  private static Optional<Current> current(Connection connection, EnrollmentKind kind, String id) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT etag, created_at FROM enrollments WHERE kind = ? AND id = ?")) {
      query.setString(1, kind.wireName());
      query.setString(2, id);
      try (ResultSet rs = query.executeQuery()) {
        return rs.next() ? Optional.of(new Current(rs.getString(1), Millis.read(rs, "created_at"))) : Optional.empty();
      }
    }
  }

  private static PreconditionFailedException concurrent(EnrollmentKind kind, String id) {
    return new PreconditionFailedException(describe(kind, id) + " was changed concurrently; read it again and retry");
  }

  static String describe(EnrollmentKind kind, String id) {
    return (kind == EnrollmentKind.GROUP ? "enrollment group '" : "individual enrollment '") + id + "'";
  }
}
