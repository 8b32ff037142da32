package io.gatehouse.store.sqlite;

import io.gatehouse.core.message.MessageProperties;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A message's properties as six columns: the five system properties as nullable TEXT, and the
 * application properties as one BLOB ({@link ApplicationPropertiesCodec}). Shared by the telemetry
 * log and the inbox so both store properties the same way.
 */
final class PropertyColumns {
  static final String NAMES = "message_id, correlation_id, user_id, content_type, content_encoding, app_properties";
  static final int COUNT = 6;

  private PropertyColumns() {}

  /**
   * Binds the six columns from {@code index}; {@code encodedApplication} is
   * {@link ApplicationPropertiesCodec#encode} of the properties' map, encoded off the writer thread.
   * Returns the next free index.
   */
  static int bind(PreparedStatement statement, int index, MessageProperties properties, byte[] encodedApplication)
      throws SQLException {
    statement.setString(index, properties.messageId());
    statement.setString(index + 1, properties.correlationId());
    statement.setString(index + 2, properties.userId());
    statement.setString(index + 3, properties.contentType());
    statement.setString(index + 4, properties.contentEncoding());
    statement.setBytes(index + 5, encodedApplication);
    return index + COUNT;
  }

  static MessageProperties read(ResultSet rs) throws SQLException {
    String messageId = rs.getString("message_id");
    String correlationId = rs.getString("correlation_id");
    String userId = rs.getString("user_id");
    String contentType = rs.getString("content_type");
    String contentEncoding = rs.getString("content_encoding");
    byte[] application = rs.getBytes("app_properties");
    if (messageId == null && correlationId == null && userId == null && contentType == null
        && contentEncoding == null && application == null) {
      return MessageProperties.NONE;
    }
    return new MessageProperties(messageId, correlationId, userId, contentType, contentEncoding,
        ApplicationPropertiesCodec.decode(application));
  }
}
