package io.gatehouse.edge.local;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Listen addresses in config files: {@code 192.168.1.10:1883}, {@code [fd00::10]:1883}, or an address
 * alone for the endpoint's default port. Literal IP addresses only: a name could resolve to an
 * interface nobody meant to expose.
 */
public final class BindAddresses {
  private BindAddresses() {}

  public static List<InetSocketAddress> parse(String setting, List<String> texts, int defaultPort) {
    if (texts == null || texts.isEmpty()) {
      throw new IllegalArgumentException(setting + ": give at least one LAN address to listen on, e.g. ['192.168.1.10:"
          + defaultPort + "']; the edge never listens on all interfaces unless told to with 0.0.0.0");
    }
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (String text : texts) {
      addresses.add(parseOne(setting, text, defaultPort));
    }
    return List.copyOf(addresses);
  }

  static InetSocketAddress parseOne(String setting, String text, int defaultPort) {
    String value = text == null ? "" : text.trim();
    String host = value;
    int port = defaultPort;
    int colon = value.lastIndexOf(':');
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException(setting + ": '" + text + "' has no closing ']'");
      }
      host = value.substring(1, close);
      if (close + 1 < value.length()) {
        port = port(setting, text, value.substring(close + 1).replaceFirst("^:", ""));
      }
    } else if (colon > 0 && value.indexOf(':') == colon) {
      host = value.substring(0, colon);
      port = port(setting, text, value.substring(colon + 1));
    }
    if (!host.matches("[0-9.]+") && !host.contains(":")) {
      throw new IllegalArgumentException(setting + ": '" + text + "' is not an IP address; give a literal address such as "
          + "192.168.1.10 (names are not resolved, so the listener cannot land on an unintended interface)");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(setting + ": '" + text + "' is not a valid IP address", e);
    }
  }

  private static int port(String setting, String text, String digits) {
    try {
      int port = Integer.parseInt(digits);
      if (port >= 0 && port <= 65_535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(setting + ": '" + text + "' has no valid port (0 to 65535 after the ':')");
  }
}
