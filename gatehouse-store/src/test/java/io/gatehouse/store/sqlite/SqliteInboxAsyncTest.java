package io.gatehouse.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.PreconditionFailedException;
import io.gatehouse.core.message.AckMode;
import io.gatehouse.core.message.FeedbackStatus;
import io.gatehouse.core.message.InboxMessage;
import io.gatehouse.store.Durability;
import io.gatehouse.store.Inbox.Settlement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The calls an MQTT connection makes from its event loop: queued without waiting, and in the store
 * in the order one thread queued them, so a pull cannot take a message its client gave back after
 * the pull began.
 */
class SqliteInboxAsyncTest extends InboxTestBase {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void aPullQueuedBeforeAnAbandonDoesNotSeeTheMessageGivenBack() throws Exception {
    inbox.enqueue(message("m1", AckMode.NONE), DEPTH);
    InboxMessage delivered = lock(T0);

    CompletableFuture<List<InboxMessage>> pullUnderWay = lockNextAsync();
    CompletableFuture<Void> givenBack = inbox.settleAsync("dev-1", delivered.lockToken(), Settlement.ABANDON, T0,
        Durability.DEFERRED);
    CompletableFuture<List<InboxMessage>> nextPull = lockNextAsync();

    assertThat(get(pullUnderWay)).isEmpty();
    get(givenBack);
    assertThat(get(nextPull)).singleElement().satisfies(m -> {
      assertThat(m.sequence()).isEqualTo(delivered.sequence());
      assertThat(m.deliveryCount()).isEqualTo(2);
    });
  }

  @Test
  void manyCallsQueuedAtOnceKeepTheirOrder() throws Exception {
    for (int i = 0; i < 20; i++) {
      inbox.enqueue(message("m" + i, AckMode.FULL), DEPTH);
    }
    // Lock one, settle it, lock the next...: all queued before the first has run.
    List<CompletableFuture<List<InboxMessage>>> pulls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      pulls.add(lockNextAsync());
    }
    List<String> order = new ArrayList<>();
    List<CompletableFuture<Void>> settlements = new ArrayList<>();
    for (CompletableFuture<List<InboxMessage>> pull : pulls) {
      InboxMessage locked = get(pull).getFirst();
      order.add(locked.properties().messageId());
      settlements.add(inbox.settleAsync("dev-1", locked.lockToken(), Settlement.COMPLETE, T0, Durability.DEFERRED));
    }
    for (CompletableFuture<Void> settlement : settlements) {
      get(settlement);
    }
    assertThat(order).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11",
        "m12", "m13", "m14", "m15", "m16", "m17", "m18", "m19");
    assertThat(inbox.depth("dev-1")).isZero();
    assertThat(feedback(FeedbackStatus.SUCCESS)).hasSize(20);
  }

  @Test
  void eachSettlementDoesWhatItsSynchronousTwinDoes() throws Exception {
    for (String id : List.of("done", "refused", "again")) {
      inbox.enqueue(message(id, AckMode.FULL), DEPTH);
    }
    List<InboxMessage> locked = get(inbox.lockNextAsync("dev-1", 3, LOCK, MAX_DELIVERIES, T0, Durability.DEFERRED));
    assertThat(locked).extracting(m -> m.properties().messageId()).containsExactly("done", "refused", "again");

    get(inbox.settleAsync("dev-1", locked.get(0).lockToken(), Settlement.COMPLETE, T0, Durability.DEFERRED));
    get(inbox.settleAsync("dev-1", locked.get(1).lockToken(), Settlement.REJECT, T0, Durability.IMMEDIATE));
    get(inbox.settleAsync("dev-1", locked.get(2).lockToken(), Settlement.ABANDON, T0, Durability.DEFERRED));

    assertThat(feedback(FeedbackStatus.SUCCESS)).containsExactly("done");
    assertThat(feedback(FeedbackStatus.REJECTED)).containsExactly("refused");
    assertThat(lock(T0).properties().messageId()).isEqualTo("again");
  }

  @Test
  void aSettlementWithALostLockFailsItsFutureNotTheCaller() {
    inbox.enqueue(message("m1", AckMode.NONE), DEPTH);
    InboxMessage delivered = lock(T0);
    inbox.complete("dev-1", delivered.lockToken(), T0);

    CompletableFuture<Void> late = inbox.settleAsync("dev-1", delivered.lockToken(), Settlement.ABANDON, T0,
        Durability.DEFERRED);
    assertThatThrownBy(() -> get(late)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(PreconditionFailedException.class);
  }

  private CompletableFuture<List<InboxMessage>> lockNextAsync() {
    return inbox.lockNextAsync("dev-1", 1, LOCK, MAX_DELIVERIES, T0, Durability.DEFERRED);
  }

  private static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }
}
