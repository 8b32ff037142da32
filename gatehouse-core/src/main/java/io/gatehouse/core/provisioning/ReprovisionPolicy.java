package io.gatehouse.core.provisioning;

import io.gatehouse.core.identity.WireEnums;
import java.util.Locale;

/**
 * What a registration does to a device that was provisioned before (Azure DPS's reprovisioning
 * policy, for a service gateway that is its own and only hub).
 */
public enum ReprovisionPolicy {
  /** The device keeps its registry record (tags, parent, inbox); its credential becomes the attested one. */
  MIGRATE,
  /** As {@link #MIGRATE}, but tags and parent are set back to the enrollment's. */
  RESET,
  /** A device provisioned once keeps its identity as it is; registering again only reports the assignment. */
  NEVER;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ReprovisionPolicy fromWire(String value) {
    return WireEnums.parse(ReprovisionPolicy.class, "reprovisionPolicy", value);
  }
}
