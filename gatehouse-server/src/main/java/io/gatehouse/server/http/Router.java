package io.gatehouse.server.http;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.sas.PercentCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Matches {@code METHOD /literal/{param}/…} routes. Literal segments match case-insensitively
 * (Azure SDKs disagree on {@code deviceBound} vs {@code devicebound}); parameters are
 * percent-decoded and case-preserved. Built once at start, then read-only.
 */
public final class Router {
  private record Route(String method, String[] segments, ApiHandler handler) {}

  /** The outcome of matching: a handler with its parameters, or why nothing matched. */
  public sealed interface Match {
    record Found(ApiHandler handler, Map<String, String> parameters) implements Match {}

    record MethodNotAllowed(Set<String> allowed) implements Match {}

    record NotFound() implements Match {}
  }

  private final List<Route> routes = new ArrayList<>();

  public Router add(String method, String pattern, ApiHandler handler) {
    routes.add(new Route(method, split(pattern), handler));
    return this;
  }

  /** Every route as {@code METHOD /pattern}, in registration order (for documentation checks). */
  public List<String> routes() {
    return routes.stream().map(r -> r.method + " /" + String.join("/", r.segments)).toList();
  }

  public Match match(String method, String rawPath) {
    String[] path = split(rawPath);
    Set<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      Optional<Map<String, String>> params = bind(route.segments, path);
      if (params.isEmpty()) {
        continue;
      }
      if (route.method.equals(method)) {
        return new Match.Found(route.handler, params.get());
      }
      allowed.add(route.method);
    }
    return allowed.isEmpty() ? new Match.NotFound() : new Match.MethodNotAllowed(allowed);
  }

  private static Optional<Map<String, String>> bind(String[] pattern, String[] path) {
    if (pattern.length != path.length) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        if (path[i].isEmpty()) {
          return Optional.empty();
        }
        try {
          params.put(p.substring(1, p.length() - 1), PercentCodec.decode(path[i]));
        } catch (InvalidInputException e) {
          throw new InvalidInputException("path segment " + (i + 1) + " is badly encoded: " + e.getMessage());
        }
      } else if (!p.toLowerCase(Locale.ROOT).equals(path[i].toLowerCase(Locale.ROOT))) {
        return Optional.empty();
      }
    }
    return Optional.of(params);
  }

  private static String[] split(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
  }
}
