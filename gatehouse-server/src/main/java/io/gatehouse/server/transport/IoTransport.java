package io.gatehouse.server.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native epoll on Linux when its library loads (fewer copies and wake-ups), else portable NIO.
 *
 * <p>The epoll classes are a runtime-only dependency of this module (they exist per platform), so
 * they are looked up by name; on platforms without them, NIO is used and nothing fails.
 */
record IoTransport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> serverChannelClass) {
  private static final Logger log = LoggerFactory.getLogger(IoTransport.class);

  static IoTransport best() {
    try {
      Class<?> epoll = Class.forName("io.netty.channel.epoll.Epoll");
      if ((Boolean) epoll.getMethod("isAvailable").invoke(null)) {
        IoHandlerFactory factory = (IoHandlerFactory) Class.forName("io.netty.channel.epoll.EpollIoHandler")
            .getMethod("newFactory").invoke(null);
        Class<? extends ServerChannel> channel = Class.forName("io.netty.channel.epoll.EpollServerSocketChannel")
            .asSubclass(ServerChannel.class);
        return new IoTransport("epoll", factory, channel);
      }
      log.debug("epoll is not available: {}", String.valueOf(epoll.getMethod("unavailabilityCause").invoke(null)));
    } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
      log.debug("epoll cannot be loaded, using NIO", e);
    }
    return new IoTransport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
  }
}
