package io.gatehouse.cli.common;

import io.gatehouse.core.error.InvalidInputException;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A token lifetime: {@code 90s}, {@code 30m}, {@code 1h}, {@code 7d}, or plain seconds. */
public final class Ttl {
  /** The gateway refuses tokens that live longer than 366 days; stay clear of that edge. */
  public static final Duration MAX = Duration.ofDays(365);

  private Ttl() {}

  /** The gateway refuses shorter tokens: a clock skew of seconds would make them useless. */
  public static final Duration MIN = Duration.ofMinutes(1);

  public static Duration parse(String text) {
    String usage = "; use a number of seconds or a number followed by s, m, h or d, e.g. 90s, 30m, 1h, 7d";
    String trimmed = text == null ? "" : text.trim();
    if (!trimmed.matches("[0-9]{1,12}[smhd]?")) {
      throw new InvalidInputException("'" + text + "' is not a lifetime" + usage);
    }
    char unit = trimmed.charAt(trimmed.length() - 1);
    boolean hasUnit = !Character.isDigit(unit);
    long amount = Long.parseLong(hasUnit ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
    if (amount == 0) {
      throw new InvalidInputException("a lifetime of zero gives a token that is already expired" + usage);
    }
    long maxAmount = switch (hasUnit ? unit : 's') {
      case 'm' -> MAX.toMinutes();
      case 'h' -> MAX.toHours();
      case 'd' -> MAX.toDays();
      default -> MAX.toSeconds();
    };
    if (amount > maxAmount) {
      throw new InvalidInputException("'" + text + "' is longer than the maximum lifetime of "
          + MAX.toDays() + "d (" + MAX.toSeconds() + " seconds)");
    }
    Duration lifetime = switch (hasUnit ? unit : 's') {
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      case 'd' -> Duration.ofDays(amount);
      default -> Duration.ofSeconds(amount);
    };
    if (lifetime.compareTo(MIN) < 0) {
      throw new InvalidInputException("'" + text + "' is shorter than the minimum lifetime of 1m (60 seconds)");
    }
    return lifetime;
  }

  /** The picocli converter of {@code --ttl}. */
  public static final class Converter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return parse(value);
      } catch (InvalidInputException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
