package io.gatehouse.store.sqlite;

import static io.gatehouse.store.sqlite.TestStores.device;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.core.error.PreconditionFailedException;
import io.gatehouse.core.message.AckMode;
import io.gatehouse.core.message.Feedback;
import io.gatehouse.core.message.FeedbackStatus;
import io.gatehouse.core.message.InboxMessage;
import io.gatehouse.core.message.MessageProperties;
import io.gatehouse.store.Durability;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How messages end (rejected, expired, too many deliveries, purged) and the feedback their senders get. */
class SqliteInboxOutcomesTest extends InboxTestBase {
  @Test
  void rejectDeadLettersWithRejectedFeedback() {
    inbox.enqueue(message("m", AckMode.NEGATIVE), DEPTH);
    InboxMessage locked = lock(T0);
    inbox.reject("dev-1", locked.lockToken(), T0.plusSeconds(1));
    assertThat(inbox.depth("dev-1")).isZero();
    assertThat(inbox.lockNext("dev-1", LOCK, MAX_DELIVERIES, T0.plus(LOCK).plus(LOCK))).isEmpty();
    assertThat(inbox.feedback("backend", 0, 10)).singleElement().satisfies(f -> {
      assertThat(f.status()).isEqualTo(FeedbackStatus.REJECTED);
      assertThat(f.description()).isEqualTo("Message rejected");
    });
    assertThatThrownBy(() -> inbox.complete("dev-1", locked.lockToken(), T0.plusSeconds(2)))
        .isInstanceOf(PreconditionFailedException.class);
  }

  @Test
  void expiredMessagesAreDeadLetteredBySweepAndOnTheWayToDelivery() {
    inbox.enqueue(message("dev-1", "short-1", AckMode.FULL, T0, Duration.ofSeconds(10)), DEPTH);
    inbox.enqueue(message("dev-2", "short-2", AckMode.NEGATIVE, T0, Duration.ofSeconds(10)), DEPTH);
    inbox.enqueue(message("dev-1", "long", AckMode.FULL, T0, TTL), DEPTH);

    assertThat(inbox.expire(T0.plusSeconds(9))).isZero();
    assertThat(inbox.expire(T0.plusSeconds(10))).isEqualTo(2);
    assertThat(feedback(FeedbackStatus.EXPIRED)).containsExactlyInAnyOrder("short-1", "short-2");
    assertThat(inbox.depth("dev-1")).isEqualTo(1);
    assertThat(inbox.depth("dev-2")).isZero();

    // Not swept yet, but lockNext skips (and dead-letters) it on the way to the next one.
    inbox.enqueue(message("dev-1", "short-3", AckMode.POSITIVE, T0.plusSeconds(20), Duration.ofSeconds(10)), DEPTH);
    inbox.enqueue(message("dev-1", "short-4", AckMode.FULL, T0.plusSeconds(20), Duration.ofSeconds(10)), DEPTH);
    inbox.enqueue(message("dev-1", "later", AckMode.FULL, T0.plusSeconds(20), TTL), DEPTH);
    InboxMessage first = lock(T0.plusSeconds(40));
    assertThat(first.properties().messageId()).isEqualTo("long");
    InboxMessage next = lock(T0.plusSeconds(40));
    assertThat(next.properties().messageId()).isEqualTo("later");
    // short-3 wanted only positive feedback.
    assertThat(feedback(FeedbackStatus.EXPIRED)).containsExactly("short-1", "short-2", "short-4");
    assertThat(inbox.depth("dev-1")).isEqualTo(2);
  }

  @Test
  void severalMessagesAreLockedAtOnceOldestFirstSkippingTheDeadOnes() {
    inbox.enqueue(message("dev-1", "expired", AckMode.FULL, T0, Duration.ofSeconds(1)), DEPTH);
    for (String id : List.of("a", "b", "c", "d")) {
      inbox.enqueue(message("dev-1", id, AckMode.NONE, T0, TTL), DEPTH);
    }
    Instant later = T0.plusSeconds(5);

    List<InboxMessage> first = inbox.lockNext("dev-1", 3, LOCK, MAX_DELIVERIES, later, Durability.DEFERRED);
    assertThat(first).extracting(m -> m.properties().messageId()).containsExactly("a", "b", "c");
    assertThat(first).extracting(InboxMessage::lockToken).doesNotHaveDuplicates().doesNotContainNull();
    assertThat(feedback(FeedbackStatus.EXPIRED)).containsExactly("expired");

    // Fewer than asked for: the inbox is drained.
    List<InboxMessage> rest = inbox.lockNext("dev-1", 3, LOCK, MAX_DELIVERIES, later, Durability.IMMEDIATE);
    assertThat(rest).extracting(m -> m.properties().messageId()).containsExactly("d");
    assertThat(inbox.lockNext("dev-1", 3, LOCK, MAX_DELIVERIES, later, Durability.IMMEDIATE)).isEmpty();

    for (InboxMessage locked : first) {
      inbox.complete("dev-1", locked.lockToken(), later);
    }
    assertThat(inbox.depth("dev-1")).isEqualTo(1);
  }

  @Test
  void expiredMessagesDoNotCountAgainstTheDepthOfANewOne() {
    inbox.enqueue(message("dev-1", "old", AckMode.FULL, T0, Duration.ofSeconds(10)), 1);
    inbox.enqueue(message("dev-1", "new", AckMode.FULL, T0.plusSeconds(10), TTL), 1);
    assertThat(feedback(FeedbackStatus.EXPIRED)).containsExactly("old");
    assertThat(lock(T0.plusSeconds(11)).properties().messageId()).isEqualTo("new");
  }

  @Test
  void passingTheMaximumDeliveryCountDeadLettersTheMessage() {
    inbox.enqueue(message("tired", AckMode.FULL), DEPTH);
    inbox.enqueue(message("fresh", AckMode.FULL), DEPTH);
    for (int delivery = 1; delivery <= 2; delivery++) {
      InboxMessage locked = inbox.lockNext("dev-1", LOCK, 2, T0).orElseThrow();
      assertThat(locked.properties().messageId()).isEqualTo("tired");
      assertThat(locked.deliveryCount()).isEqualTo(delivery);
      inbox.abandon("dev-1", locked.lockToken(), T0);
    }
    InboxMessage third = inbox.lockNext("dev-1", LOCK, 2, T0).orElseThrow();
    assertThat(third.properties().messageId()).isEqualTo("fresh");
    assertThat(inbox.feedback("backend", 0, 10)).singleElement().satisfies(f -> {
      assertThat(f.status()).isEqualTo(FeedbackStatus.DELIVERY_COUNT_EXCEEDED);
      assertThat(f.originalMessageId()).isEqualTo("tired");
    });
    assertThat(inbox.depth("dev-1")).isEqualTo(1);
  }

  @Test
  void feedbackIsWrittenOnlyForTheOutcomesTheSenderAskedFor() {
    for (AckMode ack : AckMode.values()) {
      inbox.enqueue(message("ok-" + ack.wireName(), ack), DEPTH);
      inbox.enqueue(message("no-" + ack.wireName(), ack), DEPTH);
    }
    for (int i = 0; i < AckMode.values().length; i++) {
      inbox.complete("dev-1", lock(T0).lockToken(), T0);
      inbox.reject("dev-1", lock(T0).lockToken(), T0);
    }
    assertThat(feedback(FeedbackStatus.SUCCESS)).containsExactly("ok-positive", "ok-full");
    assertThat(feedback(FeedbackStatus.REJECTED)).containsExactly("no-negative", "no-full");
  }

  @Test
  void feedbackIsPerSenderAndPagedBySequence() {
    for (int i = 0; i < 5; i++) {
      inbox.enqueue(message("m" + i, AckMode.FULL), DEPTH);
    }
    inbox.enqueue(new InboxMessage("dev-1", 0, "other-service", MessageProperties.NONE, new byte[0], AckMode.FULL,
        T0, T0.plus(TTL), 0, null, null), DEPTH);
    for (int i = 0; i < 6; i++) {
      inbox.complete("dev-1", lock(T0).lockToken(), T0);
    }
    List<Feedback> firstPage = inbox.feedback("backend", 0, 3);
    assertThat(firstPage).extracting(Feedback::originalMessageId).containsExactly("m0", "m1", "m2");
    List<Feedback> secondPage = inbox.feedback("backend", firstPage.getLast().sequence() + 1, 3);
    assertThat(secondPage).extracting(Feedback::originalMessageId).containsExactly("m3", "m4");
    assertThat(inbox.feedback("other-service", 0, 10)).singleElement()
        .satisfies(f -> assertThat(f.originalMessageId()).isNull());
    assertThat(inbox.feedback("backend", 0, 0)).isEmpty();
  }

  @Test
  void purgeEndsEveryMessageWithPurgedFeedback() {
    inbox.enqueue(message("a", AckMode.FULL), DEPTH);
    inbox.enqueue(message("b", AckMode.POSITIVE), DEPTH);
    inbox.enqueue(message("c", AckMode.NEGATIVE), DEPTH);
    inbox.enqueue(message("dev-2", "keep", AckMode.FULL, T0, TTL), DEPTH);
    InboxMessage locked = lock(T0);

    assertThat(inbox.purge("dev-1", T0.plusSeconds(5))).isEqualTo(3);
    assertThat(inbox.depth("dev-1")).isZero();
    assertThat(inbox.depth("dev-2")).isEqualTo(1);
    assertThat(feedback(FeedbackStatus.PURGED)).containsExactly("a", "c");
    assertThat(inbox.feedback("backend", 0, 10)).allSatisfy(f ->
        assertThat(f.enqueuedAt()).isEqualTo(T0.plusSeconds(5)));
    assertThatThrownBy(() -> inbox.complete("dev-1", locked.lockToken(), T0))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(inbox.purge("dev-1", T0)).isZero();
  }

  @Test
  void deletingADevicePurgesItsInboxSoANewDeviceOfTheSameIdStartsEmpty() {
    InboxMessage old = inbox.enqueue(message("for-the-old-device", AckMode.FULL), DEPTH);
    store.devices().delete("dev-1", null);
    assertThat(feedback(FeedbackStatus.PURGED)).containsExactly("for-the-old-device");

    assertThatThrownBy(() -> inbox.enqueue(message("nobody", AckMode.NONE), DEPTH))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("no device 'dev-1'");
    store.devices().create(device("dev-1"));
    assertThat(inbox.depth("dev-1")).isZero();
    assertThat(inbox.lockNext("dev-1", LOCK, MAX_DELIVERIES, T0)).isEmpty();
    // Sequence numbers are never reused, even for a new device of the same id.
    assertThat(inbox.enqueue(message("new", AckMode.NONE), DEPTH).sequence()).isGreaterThan(old.sequence());
  }

  @Test
  void anOutcomeWhoseFeedbackCannotBeWrittenDoesNotHappen() throws Exception {
    inbox.enqueue(message("m", AckMode.FULL), DEPTH);
    InboxMessage locked = lock(T0);
    rawUpdate("ALTER TABLE inbox_feedback RENAME TO inbox_feedback_away");

    assertThatThrownBy(() -> inbox.complete("dev-1", locked.lockToken(), T0))
        .isInstanceOf(StoreFailureException.class);
    // The deletion rolled back with the failed feedback insert: still queued, still locked by us.
    assertThat(inbox.depth("dev-1")).isEqualTo(1);

    rawUpdate("ALTER TABLE inbox_feedback_away RENAME TO inbox_feedback");
    inbox.complete("dev-1", locked.lockToken(), T0);
    assertThat(inbox.depth("dev-1")).isZero();
    assertThat(feedback(FeedbackStatus.SUCCESS)).containsExactly("m");
  }
}
