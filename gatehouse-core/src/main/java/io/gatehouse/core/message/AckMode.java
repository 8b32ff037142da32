package io.gatehouse.core.message;

import io.gatehouse.core.identity.WireEnums;
import java.util.Locale;

/** Which outcomes of a cloud-to-device message its sender wants to hear about ({@code iothub-ack}). */
public enum AckMode {
  NONE,
  POSITIVE,
  NEGATIVE,
  FULL;

  public boolean wants(FeedbackStatus status) {
    return switch (this) {
      case NONE -> false;
      case POSITIVE -> status == FeedbackStatus.SUCCESS;
      case NEGATIVE -> status != FeedbackStatus.SUCCESS;
      case FULL -> true;
    };
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static AckMode fromWire(String value) {
    return value == null ? NONE : WireEnums.parse(AckMode.class, "ack", value);
  }
}
