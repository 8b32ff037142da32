package io.gatehouse.store.sqlite;

import io.gatehouse.core.authz.Grant;
import io.gatehouse.core.authz.Permission;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A service's grants as rows: one per permission in {@code service_grants}, one per scope entry
 * in {@code service_grant_scopes}. Plain columns rather than an encoded blob, so nothing needs
 * escaping and a scope can be queried.
 */
final class GrantTables {
  private static final String DEVICE = "device";
  private static final String TAG = "tag";

  private GrantTables() {}

  /** Replaces all grants of {@code service}; scope rows go with them by cascade. */
  static void write(Connection connection, String service, List<Grant> grants) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM service_grants WHERE service_name = ?")) {
      delete.setString(1, service);
      delete.executeUpdate();
    }
    if (grants.isEmpty()) {
      return;
    }
    try (PreparedStatement grantInsert = connection.prepareStatement(
            "INSERT INTO service_grants (service_name, permission) VALUES (?, ?)");
        PreparedStatement scopeInsert = connection.prepareStatement("INSERT INTO service_grant_scopes"
            + " (service_name, permission, scope_type, scope_key, scope_value) VALUES (?, ?, ?, ?, ?)")) {
      boolean anyScope = false;
      for (Grant grant : grants) {
        String permission = grant.permission().wireName();
        grantInsert.setString(1, service);
        grantInsert.setString(2, permission);
        grantInsert.addBatch();
        for (String deviceId : grant.deviceIds()) {
          addScope(scopeInsert, service, permission, DEVICE, deviceId, null);
          anyScope = true;
        }
        for (Map.Entry<String, String> tag : grant.tags().entrySet()) {
          addScope(scopeInsert, service, permission, TAG, tag.getKey(), tag.getValue());
          anyScope = true;
        }
      }
      grantInsert.executeBatch();
      if (anyScope) {
        scopeInsert.executeBatch();
      }
    }
  }

  /** Grants of each of {@code services}; services without grants map to an empty list. */
  static Map<String, List<Grant>> load(Connection connection, List<String> services) throws SQLException {
    Map<String, Map<String, Scope>> byService = new HashMap<>();
    for (List<String> chunk : SqlLists.chunks(services)) {
      String in = SqlLists.placeholders(chunk.size());
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT service_name, permission FROM service_grants WHERE service_name IN (" + in + ")")) {
        bind(query, chunk);
        try (ResultSet rs = query.executeQuery()) {
          while (rs.next()) {
            byService.computeIfAbsent(rs.getString(1), s -> new TreeMap<>()).put(rs.getString(2), new Scope());
          }
        }
      }
      try (PreparedStatement query = connection.prepareStatement("SELECT service_name, permission, scope_type,"
          + " scope_key, scope_value FROM service_grant_scopes WHERE service_name IN (" + in + ")"
          + " ORDER BY service_name, permission, scope_type, scope_key")) {
        bind(query, chunk);
        try (ResultSet rs = query.executeQuery()) {
          while (rs.next()) {
            Scope scope = byService.get(rs.getString(1)).get(rs.getString(2));
            if (DEVICE.equals(rs.getString(3))) {
              scope.deviceIds.add(rs.getString(4));
            } else {
              scope.tags.put(rs.getString(4), rs.getString(5));
            }
          }
        }
      }
    }
    Map<String, List<Grant>> grants = new HashMap<>();
    for (String service : services) {
      List<Grant> list = new ArrayList<>();
      byService.getOrDefault(service, Map.of()).forEach((permission, scope) ->
          list.add(new Grant(Permission.fromWire(permission), scope.deviceIds, scope.tags)));
      grants.put(service, list);
    }
    return grants;
  }

  private static void addScope(PreparedStatement insert, String service, String permission, String type, String key,
      String value) throws SQLException {
    insert.setString(1, service);
    insert.setString(2, permission);
    insert.setString(3, type);
    insert.setString(4, key);
    insert.setString(5, value);
    insert.addBatch();
  }

  private static void bind(PreparedStatement statement, List<String> values) throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      statement.setString(i + 1, values.get(i));
    }
  }

  private static final class Scope {
    final Set<String> deviceIds = new LinkedHashSet<>();
    final Map<String, String> tags = new TreeMap<>();
  }
}
