package io.gatehouse.store.sqlite;

import io.gatehouse.store.DeviceQuery;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The listing query for a {@link DeviceQuery}. Only the filters that are set appear in the SQL
 * (rather than {@code ? IS NULL OR …}), so SQLite can pick the matching index; every value is a
 * bound parameter.
 */
record DeviceListSql(String text, List<Object> parameters) {
  static DeviceListSql of(DeviceQuery query, String afterId) {
    StringBuilder sql = new StringBuilder("SELECT ").append(DeviceRows.COLUMNS).append(" FROM devices d");
    List<Object> parameters = new ArrayList<>();
    if (query.tagKey() != null) {
      // (device_id, tag_key) is the primary key of device_tags, so the join adds no duplicates.
      sql.append(" JOIN device_tags t ON t.device_id = d.id AND t.tag_key = ? AND t.tag_value = ?");
      parameters.add(query.tagKey());
      parameters.add(query.tagValue());
    }
    List<String> conditions = new ArrayList<>();
    if (query.kind() != null) {
      conditions.add("d.kind = ?");
      parameters.add(query.kind().wireName());
    }
    if (query.status() != null) {
      conditions.add("d.status = ?");
      parameters.add(query.status().wireName());
    }
    if (query.parentId() != null) {
      conditions.add("d.parent_id = ?");
      parameters.add(query.parentId());
    }
    if (afterId != null) {
      conditions.add("d.id > ?");
      parameters.add(afterId);
    }
    if (!conditions.isEmpty()) {
      sql.append(" WHERE ").append(String.join(" AND ", conditions));
    }
    sql.append(" ORDER BY d.id LIMIT ?");
    parameters.add(query.pageSize() + 1);
    return new DeviceListSql(sql.toString(), List.copyOf(parameters));
  }

  void bind(PreparedStatement statement) throws SQLException {
    for (int i = 0; i < parameters.size(); i++) {
      switch (parameters.get(i)) {
        case String s -> statement.setString(i + 1, s);
        case Integer n -> statement.setInt(i + 1, n);
        default -> throw new IllegalStateException("unexpected parameter type");
      }
    }
  }
}
