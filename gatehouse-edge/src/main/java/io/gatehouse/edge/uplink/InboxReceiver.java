package io.gatehouse.edge.uplink;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Takes the inbox messages the service gateway sends down the uplink for the edge's leaves. */
@FunctionalInterface
public interface InboxReceiver {
  /** Answers every message with {@link InboxVerdict#RETRY_LATER}: for an uplink that serves no leaf inbox. */
  InboxReceiver NONE = (leafId, payload, properties) -> CompletableFuture.completedFuture(InboxVerdict.RETRY_LATER);

  /**
   * A message for {@code leafId}, with the properties of its topic's property bag ({@code $.mid},
   * application properties…). The uplink acknowledges it upstream only when the returned future
   * completes, with the verdict it carries (a failed future counts as {@link InboxVerdict#RETRY_LATER}).
   * Called on the MQTT client's thread: return at once.
   */
  CompletableFuture<InboxVerdict> received(String leafId, byte[] payload, Map<String, String> properties);
}
