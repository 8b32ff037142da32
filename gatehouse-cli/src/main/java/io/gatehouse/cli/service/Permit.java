package io.gatehouse.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.core.authz.Grant;
import io.gatehouse.core.authz.Permission;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.identity.IdentityIds;
import io.gatehouse.core.identity.Tags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One {@code --permit} argument: a permission, optionally narrowed to devices or a tag.
 *
 * <pre>
 * PERMISSION                     unscoped, e.g. registry.read
 * PERMISSION:devices=ID[,ID...]  only these devices, e.g. messages.send:devices=d1,d2
 * PERMISSION:device=ID           one device, the id taken as is (for ids that contain a comma)
 * PERMISSION:tag=KEY=VALUE       devices whose tag KEY is VALUE, e.g. telemetry.read:tag=site=plant-7
 * </pre>
 *
 * Repeating a permission adds to its scope (a device matches if any scope entry matches).
 *
 * @param permission the wire name, e.g. {@code messages.send}
 * @param devices device ids in the scope; empty with empty {@code tags}: every device
 * @param tags tag key and value pairs in the scope
 */
public record Permit(String permission, Set<String> devices, Map<String, String> tags) {
  static final String SYNTAX = "PERMISSION, PERMISSION:devices=ID[,ID...], PERMISSION:device=ID "
      + "or PERMISSION:tag=KEY=VALUE";

  public Permit {
    devices = java.util.Collections.unmodifiableSet(new TreeSet<>(devices));
    tags = java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
  }

  public boolean scoped() {
    return !devices.isEmpty() || !tags.isEmpty();
  }

  /** Parses one argument; the message of a refusal says what is wrong and shows the syntax. */
  public static Permit parse(String text) {
    String arg = text == null ? "" : text.trim();
    if (arg.isEmpty()) {
      throw new InvalidInputException("a permit is empty; use " + SYNTAX);
    }
    int colon = arg.indexOf(':');
    Permission permission = Permission.fromWire(colon < 0 ? arg : arg.substring(0, colon));
    Set<String> devices = new LinkedHashSet<>();
    Map<String, String> tags = new LinkedHashMap<>();
    if (colon >= 0) {
      String scope = arg.substring(colon + 1);
      if (scope.isEmpty()) {
        throw new InvalidInputException("'" + arg + "' has an empty scope after ':'; write just "
            + permission.wireName() + " for every device, or use " + SYNTAX);
      }
      int eq = scope.indexOf('=');
      String kind = eq < 0 ? scope : scope.substring(0, eq);
      String value = eq < 0 ? null : scope.substring(eq + 1);
      switch (kind) {
        case "devices" -> {
          require(value, arg, "devices=ID[,ID...], e.g. devices=d1,d2");
          for (String id : value.split(",", -1)) {
            devices.add(IdentityIds.requireValid("device id '" + id + "' in '" + arg + "'", id));
          }
        }
        case "device" -> {
          require(value, arg, "device=ID");
          devices.add(IdentityIds.requireValid("device id '" + value + "' in '" + arg + "'", value));
        }
        case "tag" -> {
          require(value, arg, "tag=KEY=VALUE, e.g. tag=site=plant-7");
          int tagEq = value.indexOf('=');
          if (tagEq <= 0) {
            throw new InvalidInputException("the scope of '" + arg + "' must be tag=KEY=VALUE, e.g. tag=site=plant-7");
          }
          String key = Tags.requireKey(value.substring(0, tagEq));
          tags.put(key, value.substring(tagEq + 1));
          Tags.copyValid(tags);
        }
        default -> throw new InvalidInputException("'" + arg + "' has an unknown scope '" + kind
            + "'; use " + SYNTAX);
      }
    }
    Permit permit = new Permit(permission.wireName(), devices, tags);
    permit.toGrant();
    return permit;
  }

  /**
   * Combines permits of the same permission into one, as the gateway holds one grant per
   * permission. An unscoped and a scoped permit of one permission contradict each other.
   */
  public static List<Permit> merge(List<Permit> permits) {
    Map<String, Permit> merged = new LinkedHashMap<>();
    for (Permit permit : permits) {
      Permit before = merged.get(permit.permission());
      if (before == null) {
        merged.put(permit.permission(), permit);
        continue;
      }
      if (before.scoped() != permit.scoped()) {
        throw new InvalidInputException(permit.permission() + " is given both unscoped (every device) "
            + "and scoped; drop one of them");
      }
      Set<String> devices = new TreeSet<>(before.devices());
      devices.addAll(permit.devices());
      Map<String, String> tags = new TreeMap<>(before.tags());
      permit.tags().forEach((key, value) -> {
        String other = tags.putIfAbsent(key, value);
        if (other != null && !other.equals(value)) {
          throw new InvalidInputException(permit.permission() + " is scoped to tag " + key + "=" + other
              + " and " + key + "=" + value + "; a grant holds one value per tag key, so list the "
              + "devices with devices=… or give them a common tag");
        }
      });
      Permit combined = new Permit(permit.permission(), devices, tags);
      combined.toGrant();
      merged.put(permit.permission(), combined);
    }
    return List.copyOf(merged.values());
  }

  /** Checks the permit against the gateway's rules (scopable permissions, id and tag limits). */
  Grant toGrant() {
    return new Grant(Permission.fromWire(permission), devices, tags);
  }

  /** {@code {"permission":…,"devices":[…],"tags":{…}}}, scope fields only when scoped. */
  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode().put("permission", permission);
    if (!devices.isEmpty()) {
      ArrayNode ids = json.putArray("devices");
      devices.forEach(ids::add);
    }
    if (!tags.isEmpty()) {
      ObjectNode tagJson = json.putObject("tags");
      tags.forEach(tagJson::put);
    }
    return json;
  }

  /** A grant of a service view in {@code --permit} syntax, one argument per scope kind. */
  public static List<String> render(JsonNode grant) {
    String permission = grant.path("permission").asText();
    List<String> plain = new ArrayList<>();
    List<String> out = new ArrayList<>();
    grant.path("devices").forEach(id -> {
      if (id.asText().contains(",")) {
        out.add(permission + ":device=" + id.asText());
      } else {
        plain.add(id.asText());
      }
    });
    if (!plain.isEmpty()) {
      out.add(0, permission + ":devices=" + String.join(",", plain));
    }
    grant.path("tags").properties().forEach(t -> out.add(permission + ":tag=" + t.getKey() + "=" + t.getValue().asText()));
    return out.isEmpty() ? List.of(permission) : out;
  }

  private static void require(String value, String arg, String form) {
    if (value == null || value.isEmpty()) {
      throw new InvalidInputException("the scope of '" + arg + "' is incomplete; write " + form);
    }
  }
}
