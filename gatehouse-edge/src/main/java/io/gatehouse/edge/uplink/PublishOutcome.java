package io.gatehouse.edge.uplink;

/** What the service gateway said about one message the edge carried. */
public sealed interface PublishOutcome {
  /** PUBACK success: the message is durable upstream and may leave the buffer. */
  record Accepted() implements PublishOutcome {}

  /**
   * A negative PUBACK (e.g. 0x87: the leaf is unknown, not this edge's child, or disabled). Sending
   * it again would be refused again, so it leaves the buffer too, counted and logged.
   */
  record Refused(int reasonCode, String reason) implements PublishOutcome {}
}
