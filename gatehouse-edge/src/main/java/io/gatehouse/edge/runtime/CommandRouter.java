package io.gatehouse.edge.runtime;

import io.gatehouse.edge.local.LeafAdapter;
import io.gatehouse.edge.local.LeafDeliveryException;
import io.gatehouse.edge.local.LeafDeliveryException.Reason;
import io.gatehouse.edge.uplink.InboxReceiver;
import io.gatehouse.edge.uplink.InboxVerdict;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows which local adapter each leaf asks for its commands through, and hands commands to it: the
 * leaf's inbox messages pulled from the service gateway, and the local actuation of alarm rules.
 * A leaf's inbox is pulled upstream only while at least one of its connections asks (the adapters
 * report each ask and its end in pairs, so they are counted, and a takeover cannot leave it wrong).
 */
final class CommandRouter implements InboxReceiver {
  private static final Logger LOG = LoggerFactory.getLogger(CommandRouter.class);

  /** Who asks for a leaf's commands: the adapter of its latest ask, and how many asks are open. */
  private record Asking(String adapter, int count) {}

  private final Map<String, LeafAdapter> adapters = new ConcurrentHashMap<>();
  private final Map<String, Asking> asking = new ConcurrentHashMap<>();
  private final Consumer<String> pullInbox;
  private final Consumer<String> stopPulling;

  /**
   * @param pullInbox starts pulling a leaf's inbox upstream
   * @param stopPulling stops it
   */
  CommandRouter(Consumer<String> pullInbox, Consumer<String> stopPulling) {
    this.pullInbox = pullInbox;
    this.stopPulling = stopPulling;
  }

  void register(LeafAdapter adapter) {
    adapters.put(adapter.name(), adapter);
  }

  // Synchronized: the count change and the upstream (un)subscribe must happen in the same order.
  synchronized void wanted(String adapter, String leafId) {
    Asking now = asking.merge(leafId, new Asking(adapter, 1), (old, one) -> new Asking(adapter, old.count() + 1));
    if (now.count() == 1) {
      pullInbox.accept(leafId);
    }
  }

  synchronized void unwanted(String leafId) {
    Asking now = asking.computeIfPresent(leafId, (id, old) -> old.count() <= 1 ? null : new Asking(old.adapter(),
        old.count() - 1));
    if (now == null) {
      stopPulling.accept(leafId);
    }
  }

  /** Leaves that ask for their commands now. */
  int askingCount() {
    return asking.size();
  }

  /** Hands {@code payload} to the leaf through the adapter it asks through; fails if it asks through none. */
  CompletableFuture<Void> deliver(String leafId, byte[] payload) {
    Asking who = asking.get(leafId);
    LeafAdapter adapter = who == null ? null : adapters.get(who.adapter());
    if (adapter == null) {
      return CompletableFuture.failedFuture(new LeafDeliveryException(leafId, Reason.NOT_CONNECTED,
          "the leaf is not connected or does not ask for commands"));
    }
    try {
      return adapter.deliver(leafId, payload);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<InboxVerdict> received(String leafId, byte[] payload, Map<String, String> properties) {
    return deliver(leafId, payload).handle((done, failure) -> {
      if (failure == null) {
        LOG.info("inbox message delivered to leaf={} bytes={}", leafId, payload.length);
        return InboxVerdict.DELIVERED;
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
          : failure;
      InboxVerdict verdict = cause instanceof LeafDeliveryException no
          && (no.reason() == Reason.REFUSED_BY_LEAF || no.reason() == Reason.TOO_LARGE)
          ? InboxVerdict.REFUSED : InboxVerdict.RETRY_LATER;
      LOG.info("inbox message for leaf={} not delivered verdict={}: {}", leafId, verdict, cause.getMessage());
      return verdict;
    });
  }
}
