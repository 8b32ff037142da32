package io.gatehouse.edge.uplink;

/**
 * What became of a message from a leaf's inbox, told to the service gateway in the PUBACK: it
 * completes, abandons (keeps it for later) or rejects (dead-letters) the message accordingly.
 */
public enum InboxVerdict {
  /** The leaf acknowledged it: PUBACK 0x00, the gateway completes the message. */
  DELIVERED,
  /**
   * The leaf could not take it now (gone, not subscribed, its queue full): PUBACK 0x80 Unspecified
   * error, the gateway abandons it and offers it again when the leaf asks anew.
   */
  RETRY_LATER,
  /** The leaf refused it or can never take it (too large): PUBACK 0x83, the gateway rejects it. */
  REFUSED
}
