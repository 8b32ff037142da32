package io.gatehouse.server.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native epoll on Linux when its library loads (fewer copies and wake-ups), else portable NIO.
 * The epoll classes are always present; only the native library is per platform, and
 * {@link Epoll#isAvailable()} says whether it loaded.
 */
public record IoTransport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> serverChannelClass) {
  private static final Logger log = LoggerFactory.getLogger(IoTransport.class);

  public static IoTransport best() {
    if (Epoll.isAvailable()) {
      return new IoTransport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
    }
    log.debug("epoll is not available, using NIO: {}", String.valueOf(Epoll.unavailabilityCause()));
    return new IoTransport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
  }
}
