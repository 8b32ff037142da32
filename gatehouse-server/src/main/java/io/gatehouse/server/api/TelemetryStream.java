package io.gatehouse.server.api;

import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.server.http.ProblemException;
import io.gatehouse.server.http.StreamingResponse;
import io.gatehouse.server.telemetry.TelemetryReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * {@code GET /telemetry/stream}: one {@code event: telemetry} per message the caller may see, with
 * {@code id: {sequence}} (what a client sends back as {@code Last-Event-ID}) and the message's JSON
 * as {@code data}. Watches the end of the log (an in-memory read) every {@link #POLL} and reads the
 * store only when it moved; a comment every {@link #KEEP_ALIVE} while nothing else is sent keeps
 * proxies from cutting an idle stream. Every {@link #RECHECK} the caller is authenticated again with
 * the request's credential and its scope judged again, and the stream ends quietly when that
 * credential expires, so a stream never outlives the right to read it.
 */
final class TelemetryStream implements StreamingResponse {
  static final Duration POLL = Duration.ofMillis(100);
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  static final Duration RECHECK = Duration.ofSeconds(2);
  static final int BATCH = 500;

  /** Authenticates and scopes the caller again; throws a 401 or 403 problem when that is refused now. */
  @FunctionalInterface
  interface Recheck {
    TelemetryReader.Scope again() throws Exception;
  }

  private final TelemetryReader reader;
  private final long start;
  private final Instant credentialExpiry;
  private final Clock clock;
  private final Recheck recheck;
  private final Function<TelemetryMessage, byte[]> encoder;
  private TelemetryReader.Scope scope;

  TelemetryStream(TelemetryReader reader, TelemetryReader.Scope scope, long start, Instant credentialExpiry,
      Clock clock, Recheck recheck, Function<TelemetryMessage, byte[]> encoder) {
    this.reader = reader;
    this.scope = scope;
    this.start = start;
    this.credentialExpiry = credentialExpiry;
    this.clock = clock;
    this.recheck = recheck;
    this.encoder = encoder;
  }

  @Override
  public void produce(Events events) throws Exception {
    long position = start;
    long lastWrite = System.nanoTime();
    Instant nextCheck = clock.instant().plus(RECHECK);
    while (events.isOpen()) {
      Instant now = clock.instant();
      if (!now.isBefore(credentialExpiry)) {
        return;
      }
      if (!now.isBefore(nextCheck)) {
        try {
          scope = recheck.again();
        } catch (ProblemException refused) {
          return; // audited by the check that refused
        }
        nextCheck = now.plus(RECHECK);
      }
      long end = reader.end();
      if (end > position) {
        TelemetryReader.Page page = reader.read(scope, position, BATCH);
        for (TelemetryMessage message : page.items()) {
          String data = new String(encoder.apply(message), StandardCharsets.UTF_8);
          if (!events.send(Long.toString(message.sequence()), "telemetry", data)) {
            return;
          }
          lastWrite = System.nanoTime();
        }
        if (page.next() > position) {
          position = page.next();
          continue; // there may be more right away
        }
        position = end; // nothing left before the end: retention removed it
      }
      if (System.nanoTime() - lastWrite >= KEEP_ALIVE.toNanos()) {
        if (!events.comment("keep-alive")) {
          return;
        }
        lastWrite = System.nanoTime();
      }
      events.pause(POLL);
    }
  }
}
