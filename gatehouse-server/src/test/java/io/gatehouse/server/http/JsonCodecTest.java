package io.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
  record Body(String name, Integer count, Map<String, Object> extra) {}

  record View(String id, long sequence, Instant at, String absent) {}

  private final JsonCodec json = new JsonCodec();

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsAndWritesRecordsWithTimesAsIsoText() {
    assertThat(json.read(bytes("{\"name\":\"a\",\"count\":2}"), Body.class)).isEqualTo(new Body("a", 2, null));
    String written = new String(json.write(new View("d", 7, Instant.parse("2026-01-02T03:04:05.678Z"), null)),
        StandardCharsets.UTF_8);
    assertThat(written).isEqualTo("{\"id\":\"d\",\"sequence\":7,\"at\":\"2026-01-02T03:04:05.678Z\"}");
  }

  @Test
  void refusesUnknownFieldsDuplicateKeysTrailingTokensAndDeepNesting() {
    assertThatThrownBy(() -> json.read(bytes("{\"name\":\"a\",\"colour\":\"red\"}"), Body.class))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("unknown field 'colour'");
    assertThatThrownBy(() -> json.read(bytes("{\"name\":\"a\",\"name\":\"b\"}"), Body.class))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("Duplicate field 'name'");
    assertThatThrownBy(() -> json.read(bytes("{\"name\":\"a\"} {}"), Body.class))
        .isInstanceOf(InvalidInputException.class);
    String deep = "{\"extra\":" + "{\"k\":".repeat(40) + "1" + "}".repeat(40) + "}";
    assertThatThrownBy(() -> json.read(bytes(deep), Body.class))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("nesting depth");
    assertThatThrownBy(() -> json.read(bytes("null"), Body.class)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void concurrentCallsSharingThePooledBuffersKeepTheirOwnData() throws Exception {
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        int n = i;
        results.add(threads.submit(() -> {
          String name = "device-" + n + "-" + "x".repeat(n % 300);
          Body read = json.read(json.write(new Body(name, n, null)), Body.class);
          return read.name().equals(name) && read.count() == n;
        }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    }
  }
}
