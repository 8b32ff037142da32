package io.gatehouse.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Pulls and direct deliveries never overlap, and reservations stay inside the window. */
class InboxPullGateTest {
  private final InboxPullGate gate = new InboxPullGate();

  @Test
  void nothingIsReservedUntilDirectDeliveryIsOpen() {
    assertThat(gate.tryReserve()).isFalse();
    gate.open(true, 4);
    assertThat(gate.tryReserve()).isTrue();
    gate.open(false, 4);
    assertThat(gate.tryReserve()).isFalse();
  }

  @Test
  void noRoomIsReservedWhileAPullIsUnderWayAndNoPullStartsWhileRoomIsReserved() {
    gate.open(true, 4);
    assertThat(gate.tryStartPull()).isTrue();
    assertThat(gate.tryReserve()).as("during a pull").isFalse();
    gate.pullDone();
    assertThat(gate.tryReserve()).isTrue();
    assertThat(gate.tryStartPull()).as("while a reservation is outstanding").isFalse();
    gate.release();
    assertThat(gate.tryStartPull()).isTrue();
  }

  @Test
  void reservationsAndDeliveriesAwaitingPubackShareTheWindow() {
    gate.open(true, 3);
    gate.inFlight(1);
    assertThat(gate.tryReserve()).isTrue();
    assertThat(gate.tryReserve()).isTrue();
    assertThat(gate.tryReserve()).as("1 in flight + 2 reserved = 3").isFalse();
    gate.release();
    assertThat(gate.tryReserve()).isTrue();
  }

  @Test
  void aReleaseWithoutAReservationCannotOpenRoomThatIsNotThere() {
    gate.open(true, 1);
    assertThat(gate.tryStartPull()).isTrue();
    gate.release(); // must not end the pull
    assertThat(gate.tryReserve()).isFalse();
    gate.pullDone();
    gate.release(); // nothing reserved: stays at zero
    assertThat(gate.tryReserve()).isTrue();
    assertThat(gate.tryReserve()).isFalse();
  }
}
