package io.gatehouse.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Device tags, one row per tag, so that filtering by tag is an indexed lookup. */
final class DeviceTagsTable {
  private DeviceTagsTable() {}

  static void write(Connection connection, String deviceId, Map<String, String> tags) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM device_tags WHERE device_id = ?")) {
      delete.setString(1, deviceId);
      delete.executeUpdate();
    }
    if (tags.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO device_tags (device_id, tag_key, tag_value) VALUES (?, ?, ?)")) {
      for (Map.Entry<String, String> tag : tags.entrySet()) {
        insert.setString(1, deviceId);
        insert.setString(2, tag.getKey());
        insert.setString(3, tag.getValue());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** Tags of each of {@code deviceIds}; devices without tags are absent from the map. */
  static Map<String, Map<String, String>> load(Connection connection, List<String> deviceIds) throws SQLException {
    Map<String, Map<String, String>> tags = new HashMap<>();
    for (List<String> chunk : SqlLists.chunks(deviceIds)) {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT device_id, tag_key, tag_value FROM device_tags WHERE device_id IN ("
              + SqlLists.placeholders(chunk.size()) + ")")) {
        for (int i = 0; i < chunk.size(); i++) {
          query.setString(i + 1, chunk.get(i));
        }
        try (ResultSet rs = query.executeQuery()) {
          while (rs.next()) {
            tags.computeIfAbsent(rs.getString(1), id -> new TreeMap<>()).put(rs.getString(2), rs.getString(3));
          }
        }
      }
    }
    return tags;
  }
}
