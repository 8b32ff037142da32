package io.gatehouse.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.LimitExceededException;
import io.gatehouse.core.message.AckMode;
import io.gatehouse.core.message.FeedbackStatus;
import io.gatehouse.core.message.InboxMessage;
import io.gatehouse.store.AuditLine;
import io.gatehouse.store.DirectLock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A message locked for a waiting receiver in the transaction that stores it ({@link DirectLock}). */
class SqliteInboxDirectLockTest extends InboxTestBase {
  private final List<InboxMessage> handedOver = new CopyOnWriteArrayList<>();
  private final List<Boolean> visibleWhenHandedOver = new CopyOnWriteArrayList<>();

  private DirectLock direct() {
    return new DirectLock(LOCK, stored -> {
      handedOver.add(stored);
      // Handed over only once committed: another connection already sees the row.
      visibleWhenHandedOver.add(inbox.depth(stored.deviceId()) > 0);
    });
  }

  @Test
  void intoAnInboxWithNothingDeliverableTheMessageIsStoredLockedAndCountedAsOneDelivery() {
    InboxMessage stored = inbox.enqueue(message("m1", AckMode.FULL), DEPTH, AuditLine.none(), direct());

    assertThat(stored.lockToken()).isNotNull();
    assertThat(stored.deliveryCount()).isEqualTo(1);
    assertThat(stored.lockedUntil()).isEqualTo(T0.plus(LOCK));
    assertThat(handedOver).containsExactly(stored);
    assertThat(visibleWhenHandedOver).containsExactly(true);
    // Nobody else can take it while the lock holds; the holder completes it with the token it got.
    assertThat(inbox.lockNext("dev-1", LOCK, MAX_DELIVERIES, T0.plusSeconds(1))).isEmpty();
    inbox.complete("dev-1", stored.lockToken(), T0.plusSeconds(2));
    assertThat(inbox.depth("dev-1")).isZero();
    assertThat(feedback(FeedbackStatus.SUCCESS)).containsExactly("m1");
  }

  @Test
  void aDirectlyLockedMessageWhoseLockRunsOutIsDeliveredAgainWithItsCountRaised() {
    InboxMessage stored = inbox.enqueue(message("m1", AckMode.NONE), DEPTH, AuditLine.none(), direct());
    InboxMessage again = lock(T0.plus(LOCK).plusSeconds(1));
    assertThat(again.sequence()).isEqualTo(stored.sequence());
    assertThat(again.deliveryCount()).isEqualTo(2);
    assertThat(again.lockToken()).isNotEqualTo(stored.lockToken());
  }

  @Test
  void behindAnOlderDeliverableMessageTheNewOneWaitsSoDeliveryKeepsSequenceOrder() {
    InboxMessage older = inbox.enqueue(message("m1", AckMode.NONE), DEPTH);
    InboxMessage newer = inbox.enqueue(message("m2", AckMode.NONE), DEPTH, AuditLine.none(), direct());

    assertThat(newer.lockToken()).isNull();
    assertThat(newer.deliveryCount()).isZero();
    assertThat(handedOver).containsExactly(newer); // told, so the receiver pulls
    List<Long> pulled = new ArrayList<>();
    inbox.lockNext("dev-1", 5, LOCK, MAX_DELIVERIES, T0, io.gatehouse.store.Durability.IMMEDIATE)
        .forEach(m -> pulled.add(m.sequence()));
    assertThat(pulled).containsExactly(older.sequence(), newer.sequence());
  }

  @Test
  void behindOlderMessagesThatAreAllLockedTheNewOneIsLockedToo() {
    inbox.enqueue(message("m1", AckMode.NONE), DEPTH);
    lock(T0);
    InboxMessage newer = inbox.enqueue(message("m2", AckMode.NONE), DEPTH, AuditLine.none(), direct());
    assertThat(newer.lockToken()).isNotNull();
  }

  @Test
  void aRefusedEnqueueHandsNothingOver() {
    for (int i = 0; i < DEPTH; i++) {
      inbox.enqueue(message("m" + i, AckMode.NONE), DEPTH);
    }
    assertThatThrownBy(() -> inbox.enqueue(message("full", AckMode.NONE), DEPTH, AuditLine.none(), direct()))
        .isInstanceOf(LimitExceededException.class);
    assertThat(handedOver).isEmpty();
  }

  @Test
  void theLockSurvivesARestart() {
    InboxMessage stored = inbox.enqueue(message("m1", AckMode.NONE), DEPTH, AuditLine.none(), direct());
    reopen();
    assertThat(inbox.lockNext("dev-1", LOCK, MAX_DELIVERIES, T0.plusSeconds(1))).isEmpty();
    inbox.complete("dev-1", stored.lockToken(), T0.plusSeconds(2));
    assertThat(inbox.depth("dev-1")).isZero();
  }
}
