package io.gatehouse.server.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The event loops of one listening server on the {@link IoTransport#best() best transport}: one
 * acceptor thread ({@code <name>-accept}) and {@code ioThreads} workers ({@code <name>-io}). The
 * server keeps its own pipeline and decides when, in its shutdown, the loops stop.
 */
public final class ServerLoops {
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 5;

  private final IoTransport transport;
  private final EventLoopGroup acceptor;
  private final EventLoopGroup workers;

  /** @param ioThreads worker threads; 0 means one per processor */
  public ServerLoops(String name, int ioThreads) {
    this.transport = IoTransport.best();
    // One per processor rather than Netty's two: a loop never blocks (database work and handlers run
    // elsewhere), so more loops than cores only add context switches under load.
    if (ioThreads == 0) {
      ioThreads = Runtime.getRuntime().availableProcessors();
    }
    this.acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name + "-accept"),
        transport.ioHandlerFactory());
    this.workers = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory(name + "-io"),
        transport.ioHandlerFactory());
  }

  public IoTransport transport() {
    return transport;
  }

  /**
   * Binds a listening socket (backlog 1024, address reuse, {@code TCP_NODELAY} on connections) whose
   * connections get {@code childHandler}, and waits for the outcome: the returned future has failed
   * if the address cannot be bound.
   */
  public ChannelFuture bind(SocketAddress address, ChannelHandler childHandler) {
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(acceptor, workers)
        .channel(transport.serverChannelClass())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(childHandler);
    return bootstrap.bind(address).awaitUninterruptibly();
  }

  /** Stops both event loops and waits for them, up to 5 s each. */
  public void shutDown() {
    // No quiet period: connections are closed already, nothing useful can still arrive.
    acceptor.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    acceptor.terminationFuture().awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    workers.terminationFuture().awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }
}
