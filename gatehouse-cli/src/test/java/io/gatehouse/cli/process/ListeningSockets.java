package io.gatehouse.cli.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The sockets a process listens on, read from Linux's /proc: its file descriptors name socket inodes,
 * and /proc/net/{tcp,tcp6,udp,udp6} give each inode's local address and state. TCP sockets in state
 * LISTEN and UDP sockets that are not connected to a peer count as listening.
 */
public final class ListeningSockets {
  private static final String TCP_LISTEN = "0A";

  private ListeningSockets() {}

  /**
   * Entries like {@code tcp 127.0.0.1:1883} or {@code udp [::]:5684}, sorted; an IPv6 socket bound to
   * an IPv4-mapped address (what the JDK opens for an IPv4 address) shows as that IPv4 address.
   */
  public static Set<String> of(long pid) throws IOException {
    Set<String> inodes = socketInodes(pid);
    Set<String> listening = new TreeSet<>();
    for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
      Path file = Path.of("/proc", Long.toString(pid), "net", table);
      List<String> lines = Files.readAllLines(file);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        String local = f[1];
        String remote = f[2];
        String state = f[3];
        String inode = f[9];
        boolean listens = table.startsWith("tcp") ? state.equals(TCP_LISTEN) : remote.endsWith(":0000")
            && remote.replace(":0000", "").chars().allMatch(c -> c == '0');
        if (listens && inodes.contains(inode)) {
          listening.add(table.substring(0, 3) + " " + address(local));
        }
      }
    }
    return listening;
  }

  private static Set<String> socketInodes(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor went away while listing
        }
      }
    }
    return inodes;
  }

  /**
   * {@code 0100007F:075B} → {@code 127.0.0.1:1883}. /proc prints addresses as 32-bit words in host
   * (little-endian) byte order, so IPv6 {@code ::ffff:127.0.0.1} is {@code 0000000000000000FFFF00000100007F}.
   */
  static String address(String hex) {
    String[] parts = hex.split(":");
    int port = Integer.parseInt(parts[1], 16);
    String ip = parts[0];
    if (ip.length() == 8) {
      return ipv4(ip) + ":" + port;
    }
    if (ip.startsWith("0000000000000000FFFF0000")) {
      return ipv4(ip.substring(24)) + ":" + port;
    }
    return (ip.chars().allMatch(c -> c == '0') ? "[::]" : "[" + ip + "]") + ":" + port;
  }

  private static String ipv4(String word) {
    long v = Long.parseLong(word, 16);
    return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
  }
}
