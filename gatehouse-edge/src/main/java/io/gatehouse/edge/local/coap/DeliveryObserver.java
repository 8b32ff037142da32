package io.gatehouse.edge.local.coap;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.californium.core.coap.MessageObserverAdapter;

/**
 * Turns Californium's callbacks on a confirmable command (notification or separate response) into
 * one outcome: the first callback wins, later ones are ignored.
 */
final class DeliveryObserver extends MessageObserverAdapter {
  enum Outcome {
    /** The leaf's ACK arrived. */
    ACKNOWLEDGED,
    /** The leaf answered with RST. */
    REJECTED,
    /** No ACK after every retransmission. */
    TIMED_OUT,
    /** Californium cancelled the message (observation cancelled, endpoint stopping). */
    CANCELLED,
    /** The message could not be sent, e.g. the leaf's DTLS session is gone. */
    SEND_FAILED
  }

  private final AtomicBoolean settled = new AtomicBoolean();
  private final Consumer<Outcome> onOutcome;

  DeliveryObserver(Consumer<Outcome> onOutcome) {
    this.onOutcome = onOutcome;
  }

  @Override
  public void onAcknowledgement() {
    settle(Outcome.ACKNOWLEDGED);
  }

  @Override
  public void onReject() {
    settle(Outcome.REJECTED);
  }

  @Override
  public void onTimeout() {
    settle(Outcome.TIMED_OUT);
  }

  @Override
  public void onCancel() {
    settle(Outcome.CANCELLED);
  }

  @Override
  public void onSendError(Throwable error) {
    settle(Outcome.SEND_FAILED);
  }

  private void settle(Outcome outcome) {
    if (settled.compareAndSet(false, true)) {
      onOutcome.accept(outcome);
    }
  }
}
