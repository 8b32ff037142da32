package io.gatehouse.core.message;

/** How a cloud-to-device message ended, in Azure's feedback vocabulary. */
public enum FeedbackStatus {
  SUCCESS("Success"),
  EXPIRED("Expired"),
  DELIVERY_COUNT_EXCEEDED("DeliveryCountExceeded"),
  REJECTED("Rejected"),
  PURGED("Purged");

  private final String wireName;

  FeedbackStatus(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
