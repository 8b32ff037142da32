package io.gatehouse.server.mqtt;

import io.gatehouse.mqtt.FrameLimitDecoder;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gatehouse.core.audit.AuditChain;
import io.gatehouse.core.crypto.MasterKey;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.server.audit.AuditLog;
import io.gatehouse.store.sqlite.SqliteStore;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes what an unauthenticated peer can reach: the frame limiter and MQTT decoder fed arbitrary
 * bytes in arbitrary fragments, and the parsers of topics, property bags, user names (device and DPS)
 * and the DPS register body. Allowed
 * outcomes are a decoded packet, a decoder failure (the connection then closes) or a domain
 * refusal; anything else (NullPointerException, IndexOutOfBounds, StackOverflowError, a hang) is
 * a finding.
 *
 * <p>{@code ./mvnw verify} replays the seeds and fuzzes for 20 s; longer on demand:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl gatehouse-server -am test -Dtest=MqttDecoderFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.max_duration=10m}.
 */
class MqttDecoderFuzzTest {
  private static final int MAX_PACKET = 4096;
  private static final io.gatehouse.server.http.JsonCodec JSON = new io.gatehouse.server.http.JsonCodec();
  private static Path directory;
  private static SqliteStore store;
  private static AuditLog audit;

  @BeforeAll
  static void open() throws Exception {
    directory = Files.createTempDirectory("gatehouse-fuzz");
    MasterKey master = MasterKey.generate(new SecureRandom());
    store = SqliteStore.open(directory.resolve("audit.db"), master.secretBox(new SecureRandom()),
        new AuditChain(master.derive("audit-chain")), Clock.systemUTC());
    audit = new AuditLog(store.audit(), Clock.systemUTC());
  }

  @AfterAll
  static void close() {
    store.close();
  }

  @FuzzTest(maxDuration = "20s")
  void untrustedInputIsDecodedOrRefusedNeverCrashes(FuzzedDataProvider data) {
    switch (data.consumeInt(0, 6)) {
      case 0 -> {
        boolean retained = data.consumeBoolean();
        refusedOrParsed(() -> PropertyBag.parseDeviceToCloud(data.consumeRemainingAsString(), retained));
      }
      case 1 -> refusedOrParsed(() -> AzureUserName.parse(data.consumeRemainingAsString()));
      case 2 -> refusedOrParsed(() -> D2cTopic.parse(data.consumeRemainingAsString()));
      case 3 -> refusedOrParsed(() -> DeviceTopics.classify(data.consumeRemainingAsString()));
      case 4 -> ProvisioningSessionHandler.USER_NAME.matcher(data.consumeRemainingAsString()).matches();
      case 5 -> {
        // The DPS register body: parsed, or refused with a DPS error; nothing else.
        try {
          io.gatehouse.server.provisioning.RegistrationRequest.parse(data.consumeRemainingAsBytes(), "dev-1",
              JSON.mapper());
        } catch (io.gatehouse.server.provisioning.DpsException refused) {
          // the precise DPS error a device would get
        }
      }
      default -> decode(data);
    }
  }

  private static void decode(FuzzedDataProvider data) {
    EmbeddedChannel channel = new EmbeddedChannel();
    MqttConnection connection = new MqttConnection(channel, new MqttRefusals(), audit);
    channel.pipeline().addLast(new FrameLimitDecoder(MAX_PACKET, connection::framingViolation), new MqttDecoder(MAX_PACKET));
    try {
      while (data.remainingBytes() > 0 && channel.isOpen()) {
        byte[] fragment = data.consumeBytes(data.consumeInt(1, 64));
        try {
          channel.writeInbound(Unpooled.wrappedBuffer(fragment));
        } catch (DecoderException refused) {
          return; // the real pipeline closes the connection here
        }
        for (Object packet; (packet = channel.readInbound()) != null; ) {
          ReferenceCountUtil.release(packet);
        }
      }
    } finally {
      channel.finishAndReleaseAll();
    }
  }

  private static void refusedOrParsed(ThrowingCall call) {
    try {
      call.run();
    } catch (GatehouseException refused) {
      // a precise refusal (e.g. InvalidInputException → PUBACK 0x83) is the expected answer to garbage
    }
  }

  @FunctionalInterface
  private interface ThrowingCall {
    Object run();
  }
}
