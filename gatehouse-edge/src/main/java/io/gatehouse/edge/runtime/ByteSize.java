package io.gatehouse.edge.runtime;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes in config files: a plain number of bytes, or {@code 512KiB}, {@code 256MiB}, {@code 2GiB}. */
final class ByteSize {
  private static final Pattern FORM = Pattern.compile("(\\d{1,12})\\s*(B|KiB|MiB|GiB)?");

  private ByteSize() {}

  static long parse(String setting, String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(setting + ": '" + text + "' is not a size; write e.g. 1048576, 512KiB, 256MiB or 2GiB");
    }
    long value = Long.parseLong(m.group(1));
    int shift = switch (m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT)) {
      case "KIB" -> 10;
      case "MIB" -> 20;
      case "GIB" -> 30;
      default -> 0;
    };
    if (value < 1 || value > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException(setting + ": '" + text + "' is out of range");
    }
    return value << shift;
  }
}
