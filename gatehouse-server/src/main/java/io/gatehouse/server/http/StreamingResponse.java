package io.gatehouse.server.http;

import java.time.Duration;

/**
 * The body of a Server-Sent Events response ({@code text/event-stream}), written over time. A route
 * returns {@link ApiResponse#eventStream(StreamingResponse)}; the transport writes the head (no
 * {@code Content-Length}; chunked), then calls {@link #produce} on a virtual thread of its own. The
 * connection is then exempt from the request deadline and does not count against the in-flight
 * limit of ordinary requests.
 *
 * <p>The stream ends when {@code produce} returns or throws, when the client goes away, or when the
 * server closes. Once it has ended every {@link Events} call returns {@code false} at once, and
 * {@code produce} should return promptly. The connection is closed after the stream.
 */
@FunctionalInterface
public interface StreamingResponse {
  /** Writes events until there is nothing more to say or {@code events} reports the end. */
  void produce(Events events) throws Exception;

  /**
   * Where a producer writes. Writes block while the client reads slower than the producer writes
   * (the connection is not writable), so a stream holds a bounded amount of memory however slow
   * its client. For the producer's thread only.
   */
  interface Events {
    /**
     * Writes one event: {@code id:}, {@code event:} and one {@code data:} line per line of
     * {@code data}. {@code id} and {@code event} may be {@code null} and must not contain line breaks.
     *
     * @return {@code false} if the stream has ended (nothing was written)
     */
    boolean send(String id, String event, String data);

    /** Writes a comment line ({@code : text}), e.g. a keep-alive; {@code false} if the stream has ended. */
    boolean comment(String text);

    /**
     * Waits up to {@code timeout}, returning early if the stream ends. For producers that poll.
     *
     * @return {@code true} while the stream is still open
     */
    boolean pause(Duration timeout);

    boolean isOpen();
  }
}
