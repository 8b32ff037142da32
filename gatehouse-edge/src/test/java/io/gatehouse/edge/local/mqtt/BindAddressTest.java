package io.gatehouse.edge.local.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.edge.local.RecordingLeafSink;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The endpoint has no TLS, so where it listens is its first line of defence. */
class BindAddressTest {
  @Test
  void listensOnlyOnTheConfiguredAddress() throws Exception {
    try (LocalMqttEndpoint endpoint = endpoint(List.of(new InetSocketAddress("127.0.0.1", 0)))) {
      endpoint.start();

      assertThat(endpoint.boundAddresses()).singleElement().satisfies(a -> {
        assertThat(a.getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(a.getPort()).isPositive();
      });
      int port = endpoint.boundAddresses().getFirst().getPort();
      try (Socket ok = new Socket("127.0.0.1", port)) {
        assertThat(ok.isConnected()).isTrue();
      }
      assertThatThrownBy(() -> new Socket("127.0.0.2", port).close()).isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void listensOnEveryConfiguredAddress() {
    try (LocalMqttEndpoint endpoint = endpoint(List.of(new InetSocketAddress("127.0.0.1", 0),
        new InetSocketAddress("127.0.0.3", 0)))) {
      endpoint.start();

      assertThat(endpoint.boundAddresses()).extracting(a -> a.getAddress().getHostAddress())
          .containsExactly("127.0.0.1", "127.0.0.3");
    }
  }

  @Test
  void refusesToStartWithoutAnAddress() {
    try (LocalMqttEndpoint endpoint = endpoint(List.of())) {
      assertThatThrownBy(endpoint::start).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no bind address").hasMessageContaining("0.0.0.0");
      assertThat(endpoint.boundAddresses()).isEmpty();
    }
  }

  @Test
  void refusesToStartOnAnAddressThisHostDoesNotHave() {
    InetSocketAddress foreign = new InetSocketAddress("203.0.113.7", 0); // TEST-NET-3, never local
    try (LocalMqttEndpoint endpoint = endpoint(List.of(new InetSocketAddress("127.0.0.1", 0), foreign))) {
      assertThatThrownBy(endpoint::start).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot listen for leaves on").hasMessageContaining("203.0.113.7");
      assertThat(endpoint.boundAddresses()).isEmpty();
    }
  }

  @Test
  void warnsWhenTheWildcardAddressIsConfigured() {
    Logger logger = (Logger) LoggerFactory.getLogger(LocalMqttEndpoint.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try (LocalMqttEndpoint endpoint = endpoint(List.of(new InetSocketAddress("0.0.0.0", 0)))) {
      endpoint.start();

      assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
          .extracting(ILoggingEvent::getFormattedMessage).asString().contains("0.0.0.0").contains("EVERY interface");
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void startsOnceOnly() {
    try (LocalMqttEndpoint endpoint = endpoint(List.of(new InetSocketAddress("127.0.0.1", 0)))) {
      endpoint.start();
      assertThatThrownBy(endpoint::start).isInstanceOf(IllegalStateException.class);
    }
  }

  private static LocalMqttEndpoint endpoint(List<InetSocketAddress> addresses) {
    return new LocalMqttEndpoint(LocalMqttConfig.defaults(addresses), TestEndpoint.CREDENTIALS, new RecordingLeafSink());
  }
}
