package io.gatehouse.store.sqlite;

import io.gatehouse.core.error.AlreadyExistsException;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.core.x509.CaCertificate;
import io.gatehouse.core.x509.Certificates;
import io.gatehouse.store.CaCertificateStore;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * CA certificates in SQLite, stored as DER. The thumbprint is recomputed from the certificate
 * (the stored one is what authentication trusts), and the creation time is the store's clock.
 */
final class SqliteCaCertificateStore implements CaCertificateStore {
  private static final String COLUMNS = "name, certificate_der, sha256_thumbprint, created_at";

  private final SqliteWriter writer;
  private final ReadPool readers;
  private final Clock clock;

  SqliteCaCertificateStore(SqliteWriter writer, ReadPool readers, Clock clock) {
    this.writer = writer;
    this.readers = readers;
    this.clock = clock;
  }

  @Override
  public CaCertificate add(CaCertificate certificate) {
    Objects.requireNonNull(certificate, "certificate");
    String thumbprint = Certificates.sha256Thumbprint(certificate.certificate());
    if (!thumbprint.equals(certificate.sha256Thumbprint().replace(":", "").toLowerCase(Locale.ROOT))) {
      throw new InvalidInputException("sha256Thumbprint of CA certificate '" + certificate.name()
          + "' does not match the certificate");
    }
    byte[] der = encoded(certificate.certificate());
    return writer.execute(tx -> {
      Connection connection = tx.connection();
      if (exists(connection, "SELECT name FROM ca_certificates WHERE name = ?", certificate.name()) != null) {
        throw new AlreadyExistsException("a CA certificate named '" + certificate.name() + "' exists already");
      }
      String holder = exists(connection, "SELECT name FROM ca_certificates WHERE sha256_thumbprint = ?", thumbprint);
      if (holder != null) {
        throw new AlreadyExistsException("this certificate (SHA-256 " + thumbprint
            + ") is already registered as CA '" + holder + "'");
      }
      Instant now = Millis.truncate(clock.instant());
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO ca_certificates (" + COLUMNS + ") VALUES (?, ?, ?, ?)")) {
        insert.setString(1, certificate.name());
        insert.setBytes(2, der);
        insert.setString(3, thumbprint);
        Millis.bind(insert, 4, now);
        insert.executeUpdate();
      }
      return new CaCertificate(certificate.name(), certificate.certificate(), thumbprint, now);
    });
  }

  @Override
  public Optional<CaCertificate> find(String name) {
    Objects.requireNonNull(name, "name");
    return readers.read(connection -> query(connection,
        "SELECT " + COLUMNS + " FROM ca_certificates WHERE name = ?", name)).stream().findFirst();
  }

  @Override
  public List<CaCertificate> list() {
    return readers.read(connection -> query(connection, "SELECT " + COLUMNS + " FROM ca_certificates ORDER BY name", null));
  }

  @Override
  public void delete(String name) {
    Objects.requireNonNull(name, "name");
    writer.execute(tx -> {
      try (PreparedStatement delete = tx.connection().prepareStatement("DELETE FROM ca_certificates WHERE name = ?")) {
        delete.setString(1, name);
        if (delete.executeUpdate() == 0) {
          throw new NotFoundException("no CA certificate named '" + name + "'");
        }
      }
      return null;
    });
  }

  private static String exists(Connection connection, String sql, String value) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, value);
      try (ResultSet rs = query.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static List<CaCertificate> query(Connection connection, String sql, String name) throws SQLException {
    List<CaCertificate> found = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      if (name != null) {
        query.setString(1, name);
      }
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          String rowName = rs.getString("name");
          found.add(new CaCertificate(rowName, decode(rowName, rs.getBytes("certificate_der")),
              rs.getString("sha256_thumbprint"), Millis.read(rs, "created_at")));
        }
      }
    }
    return found;
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new InvalidInputException("the CA certificate cannot be encoded as DER", e);
    }
  }

  private static X509Certificate decode(String name, byte[] der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new StoreFailureException("the stored certificate of CA '" + name + "' does not parse", e);
    }
  }
}
