package io.gatehouse.store.sqlite;

import io.gatehouse.store.AuditLine;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.provisioning.EnrollmentKind;
import io.gatehouse.core.provisioning.IdScope;
import io.gatehouse.core.provisioning.Registration;
import io.gatehouse.store.DeviceQuery;
import io.gatehouse.store.Page;
import io.gatehouse.store.RegistrationStore;
import java.nio.charset.StandardCharsets;
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

/** Registration records, used register tokens and the ID scope, in SQLite. */
final class SqliteRegistrationStore implements RegistrationStore {
  private static final String ID_SCOPE = "provisioning-id-scope";
  private static final String COLUMNS = "registration_id, device_id, enrollment_kind, enrollment_id, attestation,"
      + " substatus, operation_id, credential_hash, etag, created_at, updated_at";

  private final SqliteWriter writer;
  private final ReadPool readers;
  private final SqliteDeviceStore devices;
  private final Etags etags;
  private final Clock clock;

  SqliteRegistrationStore(SqliteWriter writer, ReadPool readers, SqliteDeviceStore devices, Etags etags, Clock clock) {
    this.writer = writer;
    this.readers = readers;
    this.devices = devices;
    this.etags = etags;
    this.clock = clock;
  }

  @Override
  public IdScope idScope(IdScope candidate) {
    Objects.requireNonNull(candidate, "candidate");
    return writer.execute(tx -> {
      Connection connection = tx.connection();
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO store_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
        insert.setString(1, ID_SCOPE);
        insert.setBytes(2, candidate.value().getBytes(StandardCharsets.US_ASCII));
        insert.executeUpdate();
      }
      try (PreparedStatement query = connection.prepareStatement("SELECT value FROM store_meta WHERE name = ?")) {
        query.setString(1, ID_SCOPE);
        try (ResultSet rs = query.executeQuery()) {
          rs.next();
          return new IdScope(new String(rs.getBytes(1), StandardCharsets.US_ASCII));
        }
      }
    });
  }

  @Override
  public Optional<Registration> find(String registrationId) {
    Objects.requireNonNull(registrationId, "registrationId");
    String key = registrationId.toLowerCase(java.util.Locale.ROOT);
    return readers.read(connection ->
        query(connection, "SELECT " + COLUMNS + " FROM registrations WHERE registration_id = ?", key)).stream()
        .findFirst();
  }

  /** Saves a registration on its own (assignments save theirs in {@link #assign}); for tests. */
  Registration save(Registration registration) {
    Objects.requireNonNull(registration, "registration");
    String etag = etags.next();
    return writer.execute(tx -> upsert(tx.connection(), registration, etag));
  }

  @Override
  public Optional<Assigned> assign(Assignment assignment) {
    Objects.requireNonNull(assignment, "assignment");
    // Sealing and etags on the caller's thread; the writer does only database work.
    WriteTask<Device> deviceWrite = switch (assignment.device()) {
      case DeviceWrite.Create create -> devices.creating(create.device(), AuditLine.none());
      case DeviceWrite.Replace replace -> devices.replacing(replace.device(), replace.ifMatch(), AuditLine.none());
      case DeviceWrite.Keep keep -> tx -> keep.device();
    };
    String etag = etags.next();
    return writer.execute(tx -> {
      Connection connection = tx.connection();
      if (assignment.tokenHash() != null
          && !insertToken(connection, assignment.tokenHash(), assignment.tokenExpiresAt(), clock.instant())) {
        return Optional.empty();
      }
      Device device = deviceWrite.run(tx);
      return Optional.of(new Assigned(device, upsert(connection, assignment.registration(), etag)));
    });
  }

  private Registration upsert(Connection connection, Registration registration, String etag) throws SQLException {
    Instant now = Millis.truncate(clock.instant());
    // ON CONFLICT … DO UPDATE means the same in SQLite and PostgreSQL; created_at stays the first one.
    try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO registrations (" + COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (registration_id) DO UPDATE SET"
        + " device_id = excluded.device_id, enrollment_kind = excluded.enrollment_kind,"
        + " enrollment_id = excluded.enrollment_id, attestation = excluded.attestation,"
        + " substatus = excluded.substatus, operation_id = excluded.operation_id,"
        + " credential_hash = excluded.credential_hash, etag = excluded.etag,"
        + " updated_at = excluded.updated_at")) {
      upsert.setString(1, registration.registrationId());
      upsert.setString(2, registration.deviceId());
      upsert.setString(3, registration.enrollmentKind().wireName());
      upsert.setString(4, registration.enrollmentId());
      upsert.setString(5, registration.attestation());
      upsert.setString(6, registration.substatus().wireName());
      upsert.setString(7, registration.operationId());
      upsert.setString(8, registration.credentialHash());
      upsert.setString(9, etag);
      Millis.bind(upsert, 10, now);
      Millis.bind(upsert, 11, now);
      upsert.executeUpdate();
    }
    return query(connection, "SELECT " + COLUMNS + " FROM registrations WHERE registration_id = ?",
        registration.registrationId()).getFirst();
  }

  @Override
  public Page<Registration> listByEnrollment(String enrollmentReference, int pageSize, String continuationToken) {
    PageTokens.requirePageSize(pageSize, DeviceQuery.MAX_PAGE_SIZE);
    int slash = enrollmentReference.indexOf('/');
    String kind = EnrollmentKind.fromWire(enrollmentReference.substring(0, Math.max(slash, 0))).wireName();
    String id = enrollmentReference.substring(slash + 1);
    String after = PageTokens.decode(continuationToken);
    List<Registration> page = readers.read(connection -> after == null
        ? query(connection, "SELECT " + COLUMNS + " FROM registrations WHERE enrollment_kind = ? AND enrollment_id = ?"
            + " ORDER BY registration_id LIMIT ?", kind, id, pageSize + 1)
        : query(connection, "SELECT " + COLUMNS + " FROM registrations WHERE enrollment_kind = ? AND enrollment_id = ?"
            + " AND registration_id > ? ORDER BY registration_id LIMIT ?", kind, id, after, pageSize + 1));
    boolean more = page.size() > pageSize;
    List<Registration> items = more ? page.subList(0, pageSize) : page;
    return new Page<>(items, more ? PageTokens.encode(items.getLast().registrationId()) : null);
  }

  /** Marks a token used on its own; {@code false} if it was before. For tests of the replay table. */
  boolean consumeToken(String tokenHash, Instant expiresAt, Instant now) {
    Objects.requireNonNull(tokenHash, "tokenHash");
    return writer.execute(tx -> insertToken(tx.connection(), tokenHash, expiresAt, now));
  }

  private static boolean insertToken(Connection connection, String tokenHash, Instant expiresAt, Instant now)
      throws SQLException {
    try (PreparedStatement purge = connection.prepareStatement(
        "DELETE FROM provisioning_used_tokens WHERE expires_at < ?")) {
      purge.setLong(1, now.toEpochMilli());
      purge.executeUpdate();
    }
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO provisioning_used_tokens"
        + " (token_hash, expires_at) VALUES (?, ?) ON CONFLICT (token_hash) DO NOTHING")) {
      insert.setString(1, tokenHash);
      insert.setLong(2, expiresAt.toEpochMilli());
      return insert.executeUpdate() == 1;
    }
  }

  private static List<Registration> query(Connection connection, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        if (parameters[i] instanceof Integer n) {
          statement.setInt(i + 1, n);
        } else {
          statement.setString(i + 1, (String) parameters[i]);
        }
      }
      List<Registration> found = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          found.add(new Registration(rs.getString("registration_id"), rs.getString("device_id"),
              EnrollmentKind.fromWire(rs.getString("enrollment_kind")), rs.getString("enrollment_id"),
              rs.getString("attestation"), Registration.Substatus.fromWire(rs.getString("substatus")),
              rs.getString("operation_id"), rs.getString("credential_hash"), rs.getString("etag"), Millis.read(rs, "created_at"),
              Millis.read(rs, "updated_at")));
        }
      }
      return found;
    }
  }
}
