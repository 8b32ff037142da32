package io.gatehouse.store.sqlite;

import static io.gatehouse.store.sqlite.TestStores.device;

import io.gatehouse.core.message.AckMode;
import io.gatehouse.core.message.Feedback;
import io.gatehouse.core.message.FeedbackStatus;
import io.gatehouse.core.message.InboxMessage;
import io.gatehouse.core.message.MessageProperties;
import io.gatehouse.core.testing.MutableClock;
import io.gatehouse.store.Inbox;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/** An open store with two registered devices, and builders of inbox messages. */
abstract class InboxTestBase extends StoreTestBase {
  static final Instant T0 = Instant.parse("2025-03-04T05:06:07.123Z");
  static final Duration LOCK = Duration.ofMinutes(1);
  static final Duration TTL = Duration.ofHours(1);
  static final int DEPTH = 50;
  static final int MAX_DELIVERIES = 10;

  Inbox inbox;

  InboxTestBase() {
    super(new MutableClock(T0));
  }

  @BeforeEach
  void open() {
    inbox = store.inbox();
    store.devices().create(device("dev-1"));
    store.devices().create(device("dev-2"));
  }

  void reopen() {
    store.close();
    store = TestStores.open(dir.resolve("gatehouse.db"), clock);
    inbox = store.inbox();
  }

  static InboxMessage message(String deviceId, String messageId, AckMode ack, Instant at, Duration ttl) {
    return new InboxMessage(deviceId, 0, "backend", new MessageProperties(messageId, null, null, null, null, Map.of()),
        messageId.getBytes(StandardCharsets.UTF_8), ack, at, at.plus(ttl), 0, null, null);
  }

  static InboxMessage message(String messageId, AckMode ack) {
    return message("dev-1", messageId, ack, T0, TTL);
  }

  InboxMessage lock(Instant now) {
    return inbox.lockNext("dev-1", LOCK, MAX_DELIVERIES, now).orElseThrow();
  }

  List<String> feedback(FeedbackStatus status) {
    return inbox.feedback("backend", 0, 1000).stream().filter(f -> f.status() == status)
        .map(Feedback::originalMessageId).toList();
  }

  void rawUpdate(String sql) throws Exception {
    try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("gatehouse.db"));
        PreparedStatement statement = raw.prepareStatement(sql)) {
      statement.executeUpdate();
    }
  }
}
