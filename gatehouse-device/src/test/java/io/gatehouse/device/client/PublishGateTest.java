package io.gatehouse.device.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The hold-and-release of publishes around a session switch, with sessions that record what they were given. */
class PublishGateTest {
  /** A session that records each message and leaves its acknowledgement to the test. */
  private static final class Session implements Function<String, CompletableFuture<String>> {
    final List<String> sent = new ArrayList<>();
    final List<CompletableFuture<String>> acks = new ArrayList<>();

    @Override
    public CompletableFuture<String> apply(String message) {
      sent.add(message);
      CompletableFuture<String> ack = new CompletableFuture<>();
      acks.add(ack);
      return ack;
    }
  }

  @Test
  void heldPublishesGoOutFirstAndInOrderOnTheNextSession() {
    PublishGate<String, String> gate = new PublishGate<>(10);
    Session first = new Session();
    gate.open(first);
    CompletableFuture<String> a = gate.publish("a");

    CompletableFuture<Void> drained = gate.close();
    CompletableFuture<String> b = gate.publish("b");
    CompletableFuture<String> c = gate.publish("c");
    assertThat(drained).isNotDone();
    first.acks.getFirst().complete("ack a");
    assertThat(drained).isDone();

    Session second = new Session();
    gate.open(second);
    CompletableFuture<String> d = gate.publish("d");
    assertThat(first.sent).containsExactly("a");
    assertThat(second.sent).containsExactly("b", "c", "d");
    second.acks.forEach(ack -> ack.complete("ok"));
    assertThat(List.of(a, b, c, d)).allMatch(CompletableFuture::isDone);
    assertThat(gate.heldTotal()).isEqualTo(2);
  }

  @Test
  void pastItsCapacityAPublishFailsAtOnce() {
    PublishGate<String, String> gate = new PublishGate<>(2);
    gate.publish("1");
    gate.publish("2");
    CompletableFuture<String> third = gate.publish("3");
    assertThat(third).isCompletedExceptionally();
    assertThat(third.exceptionNow()).isInstanceOf(RejectedExecutionException.class).hasMessageContaining("holds 2");
  }

  @Test
  void aFailedPublishOnTheOldSessionStillLetsTheSwitchProceed() {
    PublishGate<String, String> gate = new PublishGate<>(10);
    Session first = new Session();
    gate.open(first);
    CompletableFuture<String> lost = gate.publish("x");
    CompletableFuture<Void> drained = gate.close();
    first.acks.getFirst().completeExceptionally(new IllegalStateException("connection closed"));
    assertThat(drained).isDone();
    assertThat(lost).isCompletedExceptionally();
  }

  @Test
  void closingFailsWhatIsHeld() {
    PublishGate<String, String> gate = new PublishGate<>(10);
    CompletableFuture<String> held = gate.publish("h");
    gate.failHeld(new IllegalStateException("closed"));
    assertThat(held).isCompletedExceptionally();
    assertThat(gate.heldCount()).isZero();
  }
}
