package io.gatehouse.store.sqlite;

import static io.gatehouse.store.sqlite.TestStores.device;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.error.LimitExceededException;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Delivery: enqueue, lock, settle, depth, concurrency, restarts. */
class SqliteInboxTest extends InboxTestBase {
  @Test
  void aMessageRoundTripsWithPropertiesAndPayloadIntact() {
    Map<String, String> application = new LinkedHashMap<>();
    application.put("prop1", "value1");
    application.put("bare", null);
    application.put("empty", "");
    application.put("ünï", "✓");
    MessageProperties properties = new MessageProperties("mid-1", "cid-1", "user-1", "application/json", "utf-8",
        application);
    byte[] payload = {0, 1, 2, (byte) 0xFF, 'x'};
    Instant enqueued = T0.plusNanos(456_789);
    InboxMessage sent = new InboxMessage("dev-1", 0, "backend", properties, payload, AckMode.FULL, enqueued,
        enqueued.plus(TTL), 0, null, null);

    InboxMessage stored = inbox.enqueue(sent, DEPTH);
    assertThat(stored.sequence()).isPositive();
    assertThat(stored.enqueuedAt()).isEqualTo(T0);
    assertThat(stored.deliveryCount()).isZero();
    assertThat(stored.lockToken()).isNull();
    assertThat(inbox.depth("dev-1")).isEqualTo(1);

    InboxMessage locked = lock(T0.plusSeconds(1));
    assertThat(locked.sequence()).isEqualTo(stored.sequence());
    assertThat(locked.properties()).isEqualTo(properties);
    assertThat(locked.properties().application()).containsExactlyEntriesOf(application);
    assertThat(locked.payload()).isEqualTo(payload);
    assertThat(locked.sender()).isEqualTo("backend");
    assertThat(locked.ack()).isEqualTo(AckMode.FULL);
    assertThat(locked.enqueuedAt()).isEqualTo(T0);
    assertThat(locked.expiresAt()).isEqualTo(T0.plus(TTL));
    assertThat(locked.deliveryCount()).isEqualTo(1);
    assertThat(locked.lockToken()).matches("[A-Za-z0-9_-]{22}");
    assertThat(locked.lockedUntil()).isEqualTo(T0.plusSeconds(1).plus(LOCK));
    // Locked: the only message is not handed out twice.
    assertThat(inbox.lockNext("dev-1", LOCK, MAX_DELIVERIES, T0.plusSeconds(2))).isEmpty();

    inbox.complete("dev-1", locked.lockToken(), T0.plusSeconds(3));
    assertThat(inbox.depth("dev-1")).isZero();
    assertThat(inbox.lockNext("dev-1", LOCK, MAX_DELIVERIES, T0.plusSeconds(4))).isEmpty();
    List<Feedback> feedback = inbox.feedback("backend", 0, 10);
    assertThat(feedback).singleElement().satisfies(f -> {
      assertThat(f.status()).isEqualTo(FeedbackStatus.SUCCESS);
      assertThat(f.description()).isEqualTo("Success");
      assertThat(f.deviceId()).isEqualTo("dev-1");
      assertThat(f.originalMessageId()).isEqualTo("mid-1");
      assertThat(f.originalSequence()).isEqualTo(stored.sequence());
      assertThat(f.enqueuedAt()).isEqualTo(T0.plusSeconds(3));
      assertThat(f.sender()).isEqualTo("backend");
    });
  }

  @Test
  void deferredLocksAndSettlementsBehaveAsImmediateOnesWithoutAnFsyncEach() {
    inbox.enqueue(message("a", AckMode.FULL), DEPTH);
    inbox.enqueue(message("b", AckMode.FULL), DEPTH);
    long deferred = store.writerStats().deferredCommits();

    InboxMessage a = inbox.lockNext("dev-1", LOCK, MAX_DELIVERIES, T0, Durability.DEFERRED).orElseThrow();
    inbox.complete("dev-1", a.lockToken(), T0, Durability.DEFERRED);
    InboxMessage b = inbox.lockNext("dev-1", LOCK, MAX_DELIVERIES, T0, Durability.DEFERRED).orElseThrow();
    inbox.abandon("dev-1", b.lockToken(), T0, Durability.DEFERRED);
    InboxMessage again = inbox.lockNext("dev-1", LOCK, MAX_DELIVERIES, T0, Durability.DEFERRED).orElseThrow();
    inbox.reject("dev-1", again.lockToken(), T0, Durability.DEFERRED);

    assertThat(List.of(a.properties().messageId(), again.properties().messageId())).containsExactly("a", "b");
    assertThat(again.deliveryCount()).isEqualTo(2);
    assertThat(inbox.depth("dev-1")).isZero();
    assertThat(feedback(FeedbackStatus.SUCCESS)).containsExactly("a");
    assertThat(feedback(FeedbackStatus.REJECTED)).containsExactly("b");
    assertThat(store.writerStats().deferredCommits()).isEqualTo(deferred + 6);
    assertThatThrownBy(() -> inbox.complete("dev-1", a.lockToken(), T0, Durability.DEFERRED))
        .isInstanceOf(PreconditionFailedException.class);
  }

  @Test
  void messagesAreDeliveredOldestFirstPerDevice() {
    inbox.enqueue(message("a", AckMode.NONE), DEPTH);
    inbox.enqueue(message("dev-2", "other", AckMode.NONE, T0, TTL), DEPTH);
    inbox.enqueue(message("b", AckMode.NONE), DEPTH);
    assertThat(lock(T0).properties().messageId()).isEqualTo("a");
    assertThat(lock(T0).properties().messageId()).isEqualTo("b");
    assertThat(inbox.lockNext("dev-2", LOCK, MAX_DELIVERIES, T0).orElseThrow().properties().messageId())
        .isEqualTo("other");
  }

  @Test
  void aFullInboxRefusesUntilAMessageIsCompleted() {
    for (int i = 0; i < 3; i++) {
      inbox.enqueue(message("m" + i, AckMode.NONE), 3);
    }
    assertThatThrownBy(() -> inbox.enqueue(message("m3", AckMode.NONE), 3))
        .isInstanceOf(LimitExceededException.class)
        .hasMessage("the inbox of device 'dev-1' is full (3 of at most 3 messages waiting or locked);"
            + " retry once the device has received some");
    // Another device's inbox is its own.
    inbox.enqueue(message("dev-2", "x", AckMode.NONE, T0, TTL), 3);

    InboxMessage locked = lock(T0);
    // Locked still counts: the message has not left the queue.
    assertThatThrownBy(() -> inbox.enqueue(message("m3", AckMode.NONE), 3)).isInstanceOf(LimitExceededException.class);
    inbox.complete("dev-1", locked.lockToken(), T0);
    inbox.enqueue(message("m3", AckMode.NONE), 3);
    assertThat(inbox.depth("dev-1")).isEqualTo(3);
  }

  @Test
  void anExpiredLockMakesTheMessageDeliverableAgainWithAHigherCount() {
    InboxMessage stored = inbox.enqueue(message("m", AckMode.FULL), DEPTH);
    InboxMessage first = lock(T0);
    assertThat(inbox.lockNext("dev-1", LOCK, MAX_DELIVERIES, T0.plus(LOCK).minusMillis(1))).isEmpty();

    InboxMessage second = lock(T0.plus(LOCK));
    assertThat(second.sequence()).isEqualTo(stored.sequence());
    assertThat(second.deliveryCount()).isEqualTo(2);
    assertThat(second.lockToken()).isNotEqualTo(first.lockToken());
    assertThatThrownBy(() -> inbox.complete("dev-1", first.lockToken(), T0.plus(LOCK)))
        .isInstanceOf(PreconditionFailedException.class)
        .hasMessageContaining("lock on this message of device 'dev-1' is lost")
        .hasMessageNotContaining(first.lockToken());
    inbox.complete("dev-1", second.lockToken(), T0.plus(LOCK));
    assertThat(feedback(FeedbackStatus.SUCCESS)).containsExactly("m");
  }

  @Test
  void aLockThatRanOutCannotSettleEvenIfNobodyTookTheMessage() {
    inbox.enqueue(message("m", AckMode.NONE), DEPTH);
    InboxMessage locked = lock(T0);
    Instant late = T0.plus(LOCK);
    assertThatThrownBy(() -> inbox.complete("dev-1", locked.lockToken(), late))
        .isInstanceOf(PreconditionFailedException.class);
    assertThatThrownBy(() -> inbox.abandon("dev-1", locked.lockToken(), late))
        .isInstanceOf(PreconditionFailedException.class);
    assertThatThrownBy(() -> inbox.reject("dev-1", locked.lockToken(), late))
        .isInstanceOf(PreconditionFailedException.class);
    assertThatThrownBy(() -> inbox.complete("dev-2", locked.lockToken(), T0))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(inbox.depth("dev-1")).isEqualTo(1);
  }

  @Test
  void abandonReturnsTheMessageForAnotherDelivery() {
    inbox.enqueue(message("m", AckMode.FULL), DEPTH);
    InboxMessage first = lock(T0);
    inbox.abandon("dev-1", first.lockToken(), T0.plusSeconds(1));

    InboxMessage again = lock(T0.plusSeconds(2));
    assertThat(again.sequence()).isEqualTo(first.sequence());
    assertThat(again.deliveryCount()).isEqualTo(2);
    assertThatThrownBy(() -> inbox.abandon("dev-1", first.lockToken(), T0.plusSeconds(2)))
        .isInstanceOf(PreconditionFailedException.class);
    // Abandoning is no outcome: no feedback.
    assertThat(inbox.feedback("backend", 0, 10)).isEmpty();
  }

  @Test
  void concurrentPullersNeverGetTheSameMessage() throws Exception {
    int messages = 200;
    List<Long> sequences = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      sequences.add(inbox.enqueue(message("m" + i, AckMode.NONE), messages).sequence());
    }
    int pullers = 8;
    ConcurrentLinkedQueue<Long> delivered = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < pullers; p++) {
      threads.add(Thread.ofVirtual().start(() -> {
        try {
          start.await();
          Optional<InboxMessage> next;
          while ((next = inbox.lockNext("dev-1", LOCK, MAX_DELIVERIES, T0)).isPresent()) {
            delivered.add(next.get().sequence());
            inbox.complete("dev-1", next.get().lockToken(), T0);
          }
        } catch (Throwable t) {
          failures.add(t);
        }
      }));
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failures).isEmpty();
    assertThat(delivered).hasSize(messages).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sequences);
    assertThat(inbox.depth("dev-1")).isZero();
  }

  @Test
  void refusesOversizedAndMeaninglessMessages() {
    byte[] max = new byte[InboxMessage.MAX_SIZE];
    inbox.enqueue(new InboxMessage("dev-1", 0, "backend", MessageProperties.NONE, max, AckMode.NONE, T0,
        T0.plus(TTL), 0, null, null), DEPTH);
    InboxMessage tooBig = new InboxMessage("dev-1", 0, "backend", MessageProperties.NONE,
        new byte[InboxMessage.MAX_SIZE + 1], AckMode.NONE, T0, T0.plus(TTL), 0, null, null);
    assertThatThrownBy(() -> inbox.enqueue(tooBig, DEPTH))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is 65537 bytes with its properties; at most 65536 are accepted");
    InboxMessage withBigProperties = new InboxMessage("dev-1", 0, "backend",
        new MessageProperties("id", null, null, null, null, Map.of("p", "v")), max, AckMode.NONE, T0, T0.plus(TTL),
        0, null, null);
    assertThatThrownBy(() -> inbox.enqueue(withBigProperties, DEPTH)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> inbox.enqueue(message("dev-1", "dead", AckMode.NONE, T0, Duration.ZERO), DEPTH))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("positive time to live");
    assertThatThrownBy(() -> inbox.enqueue(message("ghost", "m", AckMode.NONE, T0, TTL), DEPTH))
        .isInstanceOf(NotFoundException.class);
    assertThat(inbox.depth("dev-1")).isEqualTo(1);
  }

  @Test
  void everythingSurvivesReopeningTheStore() {
    InboxMessage a = inbox.enqueue(message("a", AckMode.FULL), DEPTH);
    inbox.enqueue(message("b", AckMode.FULL), DEPTH);
    inbox.enqueue(message("c", AckMode.FULL), DEPTH);
    inbox.abandon("dev-1", lock(T0).lockToken(), T0);
    InboxMessage lockedA = lock(T0);
    InboxMessage lockedB = lock(T0);
    assertThat(lockedA.properties().messageId()).isEqualTo("a");
    inbox.complete("dev-1", lockedB.lockToken(), T0);

    reopen();

    assertThat(inbox.depth("dev-1")).isEqualTo(2);
    assertThat(inbox.feedback("backend", 0, 10)).extracting(Feedback::originalMessageId).containsExactly("b");
    // "a" is still locked, so "c" comes next; the delivery count of "a" was kept.
    assertThat(lock(T0.plusSeconds(1)).properties().messageId()).isEqualTo("c");
    inbox.complete("dev-1", lockedA.lockToken(), T0.plusSeconds(1));
    assertThat(feedback(FeedbackStatus.SUCCESS)).containsExactly("b", "a");
    assertThat(lockedA.deliveryCount()).isEqualTo(2);
    // Counters were persisted: numbers keep growing after the restart.
    assertThat(inbox.enqueue(message("d", AckMode.NONE), DEPTH).sequence()).isGreaterThan(a.sequence() + 2);
  }
}
