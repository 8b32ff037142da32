package io.gatehouse.edge.local;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Listen addresses in config files, for every LAN endpoint: {@code 192.168.1.10},
 * {@code 192.168.1.10:1883}, {@code [fd00::10]}, {@code [fd00::10]:1883}. IP literals only: a name
 * is never looked up, since it could resolve to an interface nobody meant to expose.
 */
public final class BindAddresses {
  private static final Pattern ADDRESS =
      Pattern.compile("(?:\\[([0-9A-Fa-f:.]+(?:%[\\w.-]+)?)]|(\\d{1,3}(?:\\.\\d{1,3}){3}))(?::(\\d{1,5}))?");

  private BindAddresses() {}

  /**
   * @param setting names the setting in messages, e.g. {@code mqtt.bind}
   * @throws IllegalArgumentException for an empty list or an entry that is not an IP literal with an optional port
   */
  public static List<InetSocketAddress> parse(String setting, List<String> texts, int defaultPort) {
    if (texts == null || texts.isEmpty()) {
      throw new IllegalArgumentException(setting + ": give at least one LAN address to listen on, e.g. ['192.168.1.10:"
          + defaultPort + "']; the edge never listens on all interfaces unless told to with 0.0.0.0");
    }
    return texts.stream().map(text -> parseOne(setting, text, defaultPort)).toList();
  }

  /** One address; the port defaults to {@code defaultPort}. */
  public static InetSocketAddress parseOne(String setting, String text, int defaultPort) {
    Matcher matcher = ADDRESS.matcher(text == null ? "" : text.strip());
    String hint = "; write an IP literal with an optional port, e.g. 192.168.1.10:" + defaultPort + " or [fd00::10]:"
        + defaultPort + " (hostnames are not looked up)";
    if (!matcher.matches()) {
      throw new IllegalArgumentException(setting + ": bind address '" + text + "' is not understood" + hint);
    }
    String literal = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
    int port = matcher.group(3) == null ? defaultPort : Integer.parseInt(matcher.group(3));
    if (port > 65_535 || (matcher.group(2) != null && !validIpv4(literal))) {
      throw new IllegalArgumentException(setting + ": bind address '" + text + "' is out of range" + hint);
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(literal), port); // a checked literal: no name lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(setting + ": bind address '" + text + "' is not an IP address" + hint, e);
    }
  }

  private static boolean validIpv4(String literal) {
    for (String part : literal.split("\\.")) {
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }
}
