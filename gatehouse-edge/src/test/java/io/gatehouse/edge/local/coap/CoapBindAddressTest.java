package io.gatehouse.edge.local.coap;

import static io.gatehouse.edge.local.coap.EdgeUnderTest.KEY;
import static io.gatehouse.edge.local.coap.EdgeUnderTest.LEAF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.edge.local.RecordingLeafSink;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Where the endpoint listens is its first line of defence: only the configured LAN addresses. */
class CoapBindAddressTest {
  private final RecordingLeafSink sink = new RecordingLeafSink();

  @Test
  void listensOnlyOnTheConfiguredAddress() throws Exception {
    try (CoapLeafEndpoint endpoint = endpoint(List.of(new InetSocketAddress("127.0.0.1", 0)))) {
      endpoint.start();

      assertThat(endpoint.boundAddresses()).singleElement().satisfies(a -> {
        assertThat(a.getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(a.getPort()).isPositive();
      });
      int port = endpoint.boundAddresses().getFirst().getPort();
      try (LeafClient right = new LeafClient(LEAF, KEY, new InetSocketAddress("127.0.0.1", port));
          LeafClient elsewhere = new LeafClient(LEAF, KEY, new InetSocketAddress("127.0.0.2", port))) {
        assertThat(right.post("/telemetry", "1", -1).response().getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThatThrownBy(() -> elsewhere.post("/telemetry", "2", -1).response())
            .isInstanceOf(ExecutionException.class);
      }
      assertThat(sink.accepted).singleElement().satisfies(m -> assertThat(m.text()).isEqualTo("1"));
    }
  }

  @Test
  void listensOnEveryConfiguredAddress() {
    try (CoapLeafEndpoint endpoint = endpoint(List.of(new InetSocketAddress("127.0.0.1", 0),
        new InetSocketAddress("127.0.0.3", 0)))) {
      endpoint.start();

      assertThat(endpoint.boundAddresses()).extracting(a -> a.getAddress().getHostAddress())
          .containsExactly("127.0.0.1", "127.0.0.3");
    }
  }

  @Test
  void refusesToStartWithoutAnAddress() {
    try (CoapLeafEndpoint endpoint = endpoint(List.of())) {
      assertThatThrownBy(endpoint::start).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no bind address").hasMessageContaining("0.0.0.0");
      assertThat(endpoint.boundAddresses()).isEmpty();
    }
  }

  @Test
  void refusesToStartOnAnAddressThisHostDoesNotHave() {
    InetSocketAddress foreign = new InetSocketAddress("203.0.113.7", 0); // TEST-NET-3, never local
    try (CoapLeafEndpoint endpoint = endpoint(List.of(new InetSocketAddress("127.0.0.1", 0), foreign))) {
      assertThatThrownBy(endpoint::start).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot listen for leaves on").hasMessageContaining("203.0.113.7");
      assertThat(endpoint.boundAddresses()).isEmpty();
    }
  }

  @Test
  void warnsWhenTheWildcardAddressIsConfigured() {
    Logger logger = (Logger) LoggerFactory.getLogger(CoapLeafEndpoint.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try (CoapLeafEndpoint endpoint = endpoint(List.of(new InetSocketAddress("0.0.0.0", 0)))) {
      endpoint.start();

      assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
          .extracting(ILoggingEvent::getFormattedMessage).asString().contains("0.0.0.0").contains("EVERY interface");
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void startsOnceOnly() {
    try (CoapLeafEndpoint endpoint = endpoint(List.of(new InetSocketAddress("127.0.0.1", 0)))) {
      endpoint.start();
      assertThatThrownBy(endpoint::start).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void closingTwiceOrWithoutStartingIsHarmless() {
    CoapLeafEndpoint endpoint = endpoint(List.of(new InetSocketAddress("127.0.0.1", 0)));
    endpoint.close();
    endpoint.close();
    assertThatThrownBy(endpoint::start).isInstanceOf(IllegalStateException.class);
  }

  private CoapLeafEndpoint endpoint(List<InetSocketAddress> addresses) {
    return new CoapLeafEndpoint(EdgeUnderTest.config(addresses), sink);
  }
}
