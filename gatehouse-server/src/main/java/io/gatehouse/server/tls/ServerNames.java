package io.gatehouse.server.tls;

import io.netty.util.NetUtil;
import java.net.IDN;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names a development server certificate must carry: the configured hostname, always
 * {@code localhost}, {@code 127.0.0.1} and {@code ::1}, and any extra DNS names or IP literals.
 * IP literals are recognised without any DNS lookup.
 */
public record ServerNames(String hostname, List<String> extraNames) {
  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;
  private static final int MAX_COMMON_NAME = 64;
  // Letters, digits, hyphens and (leniently, as some machine names have them) underscores per label.
  private static final Pattern DNS_NAME =
      Pattern.compile("(\\*\\.)?[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");

  public ServerNames {
    hostname = normalise(hostname);
    extraNames = extraNames.stream().map(ServerNames::normalise).distinct().toList();
  }

  public static ServerNames of(String hostname, String... extraNames) {
    return new ServerNames(hostname, List.of(extraNames));
  }

  /** DNS names for the subjectAltName extension, hostname first. */
  public Set<String> dnsNames() {
    Set<String> names = new LinkedHashSet<>();
    for (String name : all()) {
      if (ipBytes(name) == null) {
        names.add(name);
      }
    }
    return names;
  }

  /** IP addresses (4 or 16 bytes) for the subjectAltName extension. */
  public List<byte[]> ipAddresses() {
    List<byte[]> addresses = new ArrayList<>();
    for (String name : all()) {
      byte[] ip = ipBytes(name);
      if (ip != null && addresses.stream().noneMatch(a -> Arrays.equals(a, ip))) {
        addresses.add(ip);
      }
    }
    return addresses;
  }

  /** The subject CN: the hostname, unless it is too long for a CN (SANs are what clients check anyway). */
  public String commonName() {
    return hostname.length() <= MAX_COMMON_NAME ? hostname : "Gatehouse server";
  }

  /** The names this certificate lacks, e.g. after the configured hostname changed; empty if it has them all. */
  public List<String> missingFrom(X509Certificate certificate) {
    Set<String> dns = new LinkedHashSet<>();
    List<byte[]> ips = new ArrayList<>();
    try {
      Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
      for (List<?> san : sans == null ? List.<List<?>>of() : sans) {
        int type = (Integer) san.get(0);
        if (type == SAN_DNS) {
          dns.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
        } else if (type == SAN_IP && ipBytes((String) san.get(1)) != null) {
          ips.add(ipBytes((String) san.get(1)));
        }
      }
    } catch (CertificateParsingException e) {
      return all();
    }
    List<String> missing = new ArrayList<>();
    for (String name : all()) {
      byte[] ip = ipBytes(name);
      boolean present = ip == null ? dns.contains(name) : ips.stream().anyMatch(a -> Arrays.equals(a, ip));
      if (!present) {
        missing.add(name);
      }
    }
    return missing;
  }

  private List<String> all() {
    List<String> all = new ArrayList<>();
    all.add(hostname);
    all.add("localhost");
    all.add("127.0.0.1");
    all.add("::1");
    all.addAll(extraNames);
    return all.stream().distinct().toList();
  }

  static byte[] ipBytes(String name) {
    String literal = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
    return NetUtil.createByteArrayFromIpAddressString(literal);
  }

  private static String normalise(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a server name is empty");
    }
    String trimmed = name.strip();
    if (ipBytes(trimmed) != null) {
      return trimmed;
    }
    String ascii;
    try {
      ascii = IDN.toASCII(trimmed, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + name + "' is not a valid DNS name: " + e.getMessage());
    }
    if (ascii.endsWith(".")) {
      ascii = ascii.substring(0, ascii.length() - 1);
    }
    if (ascii.length() > 253 || !DNS_NAME.matcher(ascii).matches()) {
      throw new IllegalArgumentException("'" + name + "' is neither an IP address nor a valid DNS name"
          + " (letters, digits and hyphens in dot-separated labels of at most 63 characters)");
    }
    return ascii;
  }
}
