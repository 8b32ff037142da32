package io.gatehouse.server.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.identity.Authentication.X509Thumbprints;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.identity.IdentityStatus;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeafDirectoryTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private final LeafDirectory directory = new LeafDirectory();

  private static Device leaf(String id, String parent, IdentityStatus status, Instant updated) {
    return new Device(id, IdentityKind.DEVICE, status, null, new X509Thumbprints("a".repeat(64), null), parent,
        Map.of(), "e", T0, updated, null);
  }

  @Test
  void anEdgeMaySpeakOnlyForItsOwnEnabledChildren() {
    directory.saved(leaf("l1", "edge-1", IdentityStatus.ENABLED, T0));
    directory.saved(leaf("l2", "edge-1", IdentityStatus.QUARANTINED, T0));

    assertThat(directory.refusal("edge-1", "l1")).isEmpty();
    assertThat(directory.refusal("edge-2", "l1")).hasValueSatisfying(r -> assertThat(r).contains("not a child"));
    assertThat(directory.refusal("edge-1", "l2")).hasValueSatisfying(r -> assertThat(r).contains("quarantined"));
    assertThat(directory.refusal("edge-1", "nobody")).hasValueSatisfying(r -> assertThat(r).contains("not a registered"));
  }

  @Test
  void theLaterReportOfALeafWinsWhateverOrderTheyArriveIn() {
    directory.saved(leaf("l1", "edge-1", IdentityStatus.DISABLED, T0.plusSeconds(2)));
    directory.saved(leaf("l1", "edge-1", IdentityStatus.ENABLED, T0.plusSeconds(1)));

    assertThat(directory.refusal("edge-1", "l1")).isPresent();
  }

  @Test
  void aLeafThatLosesItsParentOrIsDeletedIsNoLongerAnyEdgesToSpeakFor() {
    directory.saved(leaf("l1", "edge-1", IdentityStatus.ENABLED, T0));
    directory.saved(leaf("l2", "edge-1", IdentityStatus.ENABLED, T0));

    directory.saved(leaf("l1", null, IdentityStatus.ENABLED, T0.plusSeconds(1)));
    directory.deleted("l2");

    assertThat(directory.refusal("edge-1", "l1")).isPresent();
    assertThat(directory.refusal("edge-1", "l2")).isPresent();
    assertThat(directory.size()).isZero();
  }
}
