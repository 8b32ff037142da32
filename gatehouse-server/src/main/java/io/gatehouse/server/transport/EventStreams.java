package io.gatehouse.server.transport;

import io.gatehouse.server.http.StreamingResponse;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Server-Sent Event streams of one HTTPS server: admits at most {@code maxStreams} at once, runs
 * each producer on a virtual thread of its own (named {@code gatehouse-stream-N}), and ends them all
 * when the server closes. A stream holds no handler permit: a long-lived stream must not keep
 * ordinary requests out, nor make shutdown wait for it.
 */
final class EventStreams {
  private static final Logger log = LoggerFactory.getLogger(EventStreams.class);

  private final int maxStreams;
  private final Set<Stream> open = ConcurrentHashMap.newKeySet();
  private final ExecutorService producers =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("gatehouse-stream-", 0).factory());
  private final Object admission = new Object();
  private volatile boolean closed;

  EventStreams(int maxStreams) {
    this.maxStreams = maxStreams;
  }

  /** A stream for the connection of {@code ctx}; {@code null} if too many are open or the server is closing. */
  Stream tryOpen(ChannelHandlerContext ctx, String requestId) {
    synchronized (admission) {
      if (closed || open.size() >= maxStreams) {
        return null;
      }
      Stream stream = new Stream(ctx, requestId);
      open.add(stream);
      return stream;
    }
  }

  boolean isClosed() {
    return closed;
  }

  int openCount() {
    return open.size();
  }

  /**
   * Ends every stream (their {@link StreamingResponse.Events} calls return {@code false} from now
   * on), waits up to {@code grace} for the producers to return, then interrupts the rest.
   */
  void close(Duration grace) {
    synchronized (admission) {
      closed = true;
    }
    open.forEach(Stream::end);
    producers.shutdown();
    try {
      if (!producers.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) {
        log.warn("{} event stream producer(s) still running after {} ms; interrupting them", open.size(),
            grace.toMillis());
        producers.shutdownNow();
        producers.awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      producers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One open stream: the producer's {@link StreamingResponse.Events}, and the transport's view of it.
   * The producer writes from its own thread; the event loop only signals (writability, close).
   */
  final class Stream implements StreamingResponse.Events {
    private final ChannelHandlerContext ctx;
    private final String requestId;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile boolean ended;

    private Stream(ChannelHandlerContext ctx, String requestId) {
      this.ctx = ctx;
      this.requestId = requestId;
    }

    /** Runs the producer on a virtual thread; when it returns, ends the response and closes the connection. */
    void start(StreamingResponse producer) {
      try {
        producers.execute(() -> run(producer));
      } catch (RejectedExecutionException e) { // the server closed between admission and now
        end();
        finish();
      }
    }

    /** For a stream whose head could not be written: forget it, nothing was started. */
    void abandon() {
      end();
      open.remove(this);
    }

    private void run(StreamingResponse producer) {
      try {
        producer.produce(this);
      } catch (Throwable failure) {
        if (ended) {
          log.debug("event stream {} ended with {}", requestId, failure.toString());
        } else {
          log.error("event stream {} failed; ending it", requestId, failure);
        }
      } finally {
        end();
        finish();
      }
    }

    private void finish() {
      open.remove(this);
      // Queued behind the events this thread wrote, so the client reads them all before the end.
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
    }

    /** From now on the producer's calls return {@code false}; wakes it if it waits. Any thread. */
    void end() {
      lock.lock();
      try {
        ended = true;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /** The connection's writability changed (event loop). */
    void writabilityChanged() {
      lock.lock();
      try {
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public boolean send(String id, String event, String data) {
      StringBuilder frame = new StringBuilder(64 + (data == null ? 0 : data.length()));
      if (id != null) {
        frame.append("id: ").append(singleLine("id", id)).append('\n');
      }
      if (event != null) {
        frame.append("event: ").append(singleLine("event", event)).append('\n');
      }
      for (String line : (data == null ? "" : data).split("\r\n|\r|\n", -1)) {
        frame.append("data: ").append(line).append('\n');
      }
      return write(frame.append('\n'));
    }

    @Override
    public boolean comment(String text) {
      StringBuilder frame = new StringBuilder();
      for (String line : text.split("\r\n|\r|\n", -1)) {
        frame.append(": ").append(line).append('\n');
      }
      return write(frame.append('\n'));
    }

    @Override
    public boolean pause(Duration timeout) {
      long nanos = timeout.toNanos();
      lock.lock();
      try {
        while (!ended && nanos > 0) {
          nanos = changed.awaitNanos(nanos);
        }
        return !ended;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ended = true;
        return false;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public boolean isOpen() {
      return !ended;
    }

    private boolean write(CharSequence frame) {
      if (!awaitWritable()) {
        return false;
      }
      DefaultHttpContent chunk = new DefaultHttpContent(
          ByteBufUtil.encodeString(ctx.alloc(), CharBuffer.wrap(frame), StandardCharsets.UTF_8));
      ctx.writeAndFlush(chunk).addListener(written -> {
        if (!written.isSuccess()) {
          end();
        }
      });
      return true;
    }

    /** Blocks while the connection has more queued than its high-water mark: bounded memory per stream. */
    private boolean awaitWritable() {
      lock.lock();
      try {
        while (!ended && !ctx.channel().isWritable()) {
          if (!ctx.channel().isActive()) {
            ended = true;
            break;
          }
          changed.await();
        }
        return !ended;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ended = true;
        return false;
      } finally {
        lock.unlock();
      }
    }

    private static String singleLine(String what, String value) {
      if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("an event's " + what + " must not contain a line break");
      }
      return value;
    }
  }
}
