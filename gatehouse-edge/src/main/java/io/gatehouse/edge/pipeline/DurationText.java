package io.gatehouse.edge.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in config: {@code 500ms}, {@code 30s}, {@code 1m}, {@code 2h},
 * {@code 1d}, an ISO-8601 {@code PT1M}, or a bare {@code 0}. Negative durations are refused.
 */
public final class DurationText {
  private static final Pattern SHORT_FORM = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");

  private DurationText() {}

  public static Duration parse(String text) {
    String trimmed = text == null ? "" : text.strip();
    if (trimmed.equals("0")) {
      return Duration.ZERO;
    }
    Matcher shortForm = SHORT_FORM.matcher(trimmed);
    if (shortForm.matches()) {
      long amount = Long.parseLong(shortForm.group(1));
      return switch (shortForm.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    try {
      Duration iso = Duration.parse(trimmed);
      if (!iso.isNegative()) {
        return iso;
      }
    } catch (DateTimeParseException notIso) {
      // fall through to the message below, which shows the accepted forms
    }
    throw new IllegalArgumentException("duration '" + text + "' is not understood; write a whole number with a unit "
        + "(500ms, 30s, 1m, 2h, 1d), an ISO-8601 duration such as PT1M, or 0");
  }

  /** Lets config records declare {@code @JsonDeserialize(using = DurationText.Deserializer.class) Duration x}. */
  public static final class Deserializer extends StdScalarDeserializer<Duration> {
    public Deserializer() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.VALUE_NUMBER_INT && parser.getLongValue() == 0) {
        return Duration.ZERO;
      }
      if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
        throw MismatchedInputException.from(parser, Duration.class,
            "duration " + parser.getText() + " needs a unit, e.g. " + parser.getText() + "s or " + parser.getText() + "ms");
      }
      if (token != JsonToken.VALUE_STRING) {
        throw MismatchedInputException.from(parser, Duration.class, "a duration must be text such as 30s or 1m");
      }
      try {
        return parse(parser.getText());
      } catch (IllegalArgumentException e) {
        throw MismatchedInputException.from(parser, Duration.class, e.getMessage());
      }
    }
  }
}
