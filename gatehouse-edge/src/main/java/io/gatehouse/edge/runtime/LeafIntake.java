package io.gatehouse.edge.runtime;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.edge.local.LeafSink;
import io.gatehouse.edge.pipeline.Reading;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every local adapter hands over, for one adapter: readings go to the processing loop, asks for
 * commands to the router, refused leaves to the refusal reports. A payload must be a JSON object of
 * fields (what the pipeline and the alarm rules work on); anything else is refused with the reason.
 */
final class LeafIntake implements LeafSink {
  private static final Logger LOG = LoggerFactory.getLogger(LeafIntake.class);

  private final String adapter;
  private final ProcessingLoop processing;
  private final CommandRouter router;
  private final RefusalReports refusals;
  private final Set<String> connected;
  private final InstantSource clock;

  /** @param connected the leaves connected through any adapter, shared between the intakes */
  LeafIntake(String adapter, ProcessingLoop processing, CommandRouter router, RefusalReports refusals,
      Set<String> connected, InstantSource clock) {
    this.adapter = adapter;
    this.processing = processing;
    this.router = router;
    this.refusals = refusals;
    this.connected = connected;
    this.clock = clock;
  }

  static Set<String> connectedSet() {
    return ConcurrentHashMap.newKeySet();
  }

  @Override
  public CompletableFuture<Void> accept(String leafId, byte[] payload, Map<String, String> properties) {
    Reading reading;
    try {
      reading = Reading.fromJson(leafId, clock.instant(), payload);
    } catch (IllegalArgumentException e) {
      LOG.info("leaf message refused leaf={} adapter={}: {}", leafId, adapter, e.getMessage());
      return CompletableFuture.failedFuture(new InvalidInputException("leaf " + leafId + ": " + e.getMessage()));
    }
    return processing.submit(reading);
  }

  @Override
  public void unknownLeaf(String clientId, String reason, InetSocketAddress from) {
    refusals.record(adapter, clientId, reason, from);
  }

  @Override
  public void leafConnected(String leafId) {
    connected.add(leafId);
    LOG.info("leaf connected leaf={} adapter={}", leafId, adapter);
  }

  @Override
  public void leafDisconnected(String leafId) {
    connected.remove(leafId);
    LOG.info("leaf disconnected leaf={} adapter={}", leafId, adapter);
  }

  @Override
  public void commandsWanted(String leafId) {
    router.wanted(adapter, leafId);
  }

  @Override
  public void commandsUnwanted(String leafId) {
    router.unwanted(leafId);
  }
}
