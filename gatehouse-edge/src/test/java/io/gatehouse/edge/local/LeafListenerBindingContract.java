package io.gatehouse.edge.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What every leaf endpoint promises about where it listens. Leaves speak without TLS or over a
 * pre-shared key, so the bound addresses are the endpoint's first line of defence: only the
 * configured LAN addresses, never all interfaces unless configured so (and then with a warning).
 * Each adapter's test extends this and proves that a leaf reaches it at the bound address only.
 */
public abstract class LeafListenerBindingContract {
  /** An endpoint of the adapter under test, configured with exactly these addresses, not started. */
  protected abstract LeafAdapter endpoint(List<InetSocketAddress> addresses);

  /** The class whose logger warns about the wildcard address. */
  protected abstract Class<?> loggingClass();

  /** A leaf reaches the endpoint on 127.0.0.1:{@code port} and not on 127.0.0.2:{@code port}. */
  protected abstract void assertReachableOnlyOnTheBoundAddress(int port) throws Exception;

  @Test
  void listensOnlyOnTheConfiguredAddress() throws Exception {
    try (LeafAdapter endpoint = endpoint(List.of(new InetSocketAddress("127.0.0.1", 0)))) {
      endpoint.start();

      assertThat(endpoint.boundAddresses()).singleElement().satisfies(a -> {
        assertThat(a.getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(a.getPort()).isPositive();
      });
      assertReachableOnlyOnTheBoundAddress(endpoint.boundAddresses().getFirst().getPort());
    }
  }

  @Test
  void listensOnEveryConfiguredAddress() {
    try (LeafAdapter endpoint = endpoint(List.of(new InetSocketAddress("127.0.0.1", 0),
        new InetSocketAddress("127.0.0.3", 0)))) {
      endpoint.start();

      assertThat(endpoint.boundAddresses()).extracting(a -> a.getAddress().getHostAddress())
          .containsExactly("127.0.0.1", "127.0.0.3");
    }
  }

  @Test
  void refusesToStartWithoutAnAddress() {
    try (LeafAdapter endpoint = endpoint(List.of())) {
      assertThatThrownBy(endpoint::start).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no bind address").hasMessageContaining("0.0.0.0");
      assertThat(endpoint.boundAddresses()).isEmpty();
    }
  }

  @Test
  void refusesToStartOnAnAddressThisHostDoesNotHave() {
    InetSocketAddress foreign = new InetSocketAddress("203.0.113.7", 0); // TEST-NET-3, never local
    try (LeafAdapter endpoint = endpoint(List.of(new InetSocketAddress("127.0.0.1", 0), foreign))) {
      assertThatThrownBy(endpoint::start).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot listen for leaves on").hasMessageContaining("203.0.113.7");
      assertThat(endpoint.boundAddresses()).isEmpty();
    }
  }

  @Test
  void warnsWhenTheWildcardAddressIsConfigured() {
    Logger logger = (Logger) LoggerFactory.getLogger(loggingClass());
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try (LeafAdapter endpoint = endpoint(List.of(new InetSocketAddress("0.0.0.0", 0)))) {
      endpoint.start();

      assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
          .extracting(ILoggingEvent::getFormattedMessage).asString().contains("0.0.0.0").contains("EVERY interface");
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void startsOnceOnly() {
    try (LeafAdapter endpoint = endpoint(List.of(new InetSocketAddress("127.0.0.1", 0)))) {
      endpoint.start();
      assertThatThrownBy(endpoint::start).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void closingTwiceOrWithoutStartingIsHarmless() {
    LeafAdapter endpoint = endpoint(List.of(new InetSocketAddress("127.0.0.1", 0)));
    endpoint.close();
    endpoint.close();
    assertThatThrownBy(endpoint::start).isInstanceOf(IllegalStateException.class);
  }
}
