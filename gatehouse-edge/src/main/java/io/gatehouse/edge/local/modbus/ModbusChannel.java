package io.gatehouse.edge.local.modbus;

import com.digitalpetri.modbus.ModbusTcpFrame;
import com.digitalpetri.modbus.client.ModbusTcpClientTransport;
import com.digitalpetri.modbus.tcp.ModbusTcpCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP connection to one device, on that device's event loop: connects when asked, never on its
 * own, and reports a connection that ends without being asked to. Used in place of the library's
 * transport, whose built-in reconnect machine runs on shared static threads with a fixed backoff of
 * its own; here the {@link DeviceLink} decides when to try again.
 *
 * <p>Every method must be called on the event loop.
 */
final class ModbusChannel implements ModbusTcpClientTransport {
  private static final Logger log = LoggerFactory.getLogger(ModbusChannel.class);
  /** MBAP header (7 bytes) plus the largest PDU (253 bytes): larger frames are refused from their header. */
  static final int MAX_FRAME_BYTES = 260;
  private static final int LENGTH_FIELD_OFFSET = 4;
  private static final int LENGTH_FIELD_BYTES = 2;

  private final EventLoop loop;
  private final String host;
  private final int port;
  private final Duration connectTimeout;
  private final Executor resolver;
  private final Runnable onConnectionLost;
  private Consumer<ModbusTcpFrame> frameReceiver = frame -> {};
  private volatile Channel channel;
  private CompletableFuture<Void> connecting;

  /**
   * @param resolver runs host name lookups, which block, away from the event loop
   * @param onConnectionLost runs on the event loop when the connection ends without {@link #disconnect()}
   */
  ModbusChannel(EventLoop loop, String host, int port, Duration connectTimeout, Executor resolver,
      Runnable onConnectionLost) {
    this.loop = loop;
    this.host = host;
    this.port = port;
    this.connectTimeout = connectTimeout;
    this.resolver = resolver;
    this.onConnectionLost = onConnectionLost;
  }

  @Override
  public CompletableFuture<Void> connect() {
    if (isConnected()) {
      return CompletableFuture.completedFuture(null);
    }
    if (connecting == null) {
      // Ends on the event loop whatever happens, so callers' continuations run there too.
      connecting = CompletableFuture.supplyAsync(() -> new InetSocketAddress(host, port), resolver)
          .thenComposeAsync(this::open, loop)
          .whenCompleteAsync((ok, error) -> connecting = null, loop);
    }
    return connecting;
  }

  private CompletableFuture<Void> open(InetSocketAddress address) {
    if (address.isUnresolved()) {
      return CompletableFuture.failedFuture(new UnknownHostException("host name '" + host + "' cannot be resolved"));
    }
    CompletableFuture<Void> opened = new CompletableFuture<>();
    ChannelFuture connected = new Bootstrap()
        .group(loop)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast("frame-limit", new LengthFieldBasedFrameDecoder(MAX_FRAME_BYTES, LENGTH_FIELD_OFFSET,
                    LENGTH_FIELD_BYTES))
                .addLast("modbus-codec", new ModbusTcpCodec())
                .addLast("responses", new ResponseHandler());
          }
        })
        .connect(address);
    connected.addListener(done -> {
      if (!done.isSuccess()) {
        opened.completeExceptionally(done.cause());
        return;
      }
      Channel ch = connected.channel();
      channel = ch;
      ch.closeFuture().addListener(closed -> {
        if (channel == ch) {
          channel = null;
          onConnectionLost.run();
        }
      });
      opened.complete(null);
    });
    return opened;
  }

  @Override
  public CompletableFuture<Void> disconnect() {
    Channel ch = channel;
    channel = null;
    if (ch == null) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> closed = new CompletableFuture<>();
    ch.close().addListener(done -> closed.complete(null));
    return closed;
  }

  @Override
  public boolean isConnected() {
    Channel ch = channel;
    return ch != null && ch.isActive();
  }

  @Override
  public CompletionStage<Void> send(ModbusTcpFrame frame) {
    Channel ch = channel;
    if (ch == null || !ch.isActive()) {
      return CompletableFuture.failedFuture(new ClosedChannelException());
    }
    CompletableFuture<Void> sent = new CompletableFuture<>();
    ch.writeAndFlush(frame).addListener(done -> {
      if (done.isSuccess()) {
        sent.complete(null);
      } else {
        sent.completeExceptionally(done.cause());
      }
    });
    return sent;
  }

  @Override
  public void receive(Consumer<ModbusTcpFrame> receiver) {
    this.frameReceiver = receiver;
  }

  private final class ResponseHandler extends SimpleChannelInboundHandler<ModbusTcpFrame> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ModbusTcpFrame frame) {
      frameReceiver.accept(frame);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // An oversized or garbled frame leaves the stream unframed: only a new connection recovers.
      log.debug("modbus connection closed on error device={}:{} error=\"{}\"", host, port, cause.toString());
      ctx.close();
    }
  }
}
