package io.gatehouse.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.store.EdgePosture;
import io.gatehouse.store.EdgePostureStore;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SqliteEdgePostureStoreTest extends StoreTestBase {
  private static final String REPORT = "{\"version\":\"0.1.0\",\"uptimeSeconds\":300,\"listeners\":[]}";

  private EdgePostureStore postures;

  @BeforeEach
  void open() {
    postures = store.edgePostures();
    store.devices().create(new Device("edge-1", IdentityKind.EDGE, IdentityStatus.ENABLED, null,
        TestStores.newKeys(), null, Map.of(), null, null, null, null));
  }

  @Test
  void aSavedReportIsReadBackWithItsTimeTruncatedToMilliseconds() throws Exception {
    Instant received = Instant.parse("2030-01-01T10:00:00.123456789Z");
    EdgePosture saved = postures.save(new EdgePosture("edge-1", received, REPORT, "/10.0.0.7:40000"))
        .get(5, TimeUnit.SECONDS);

    assertThat(saved.receivedAt()).isEqualTo(Instant.parse("2030-01-01T10:00:00.123Z"));
    assertThat(postures.find("edge-1")).contains(saved);
    assertThat(postures.find("edge-2")).isEmpty();
  }

  @Test
  void aNewReportReplacesThePreviousOne() throws Exception {
    postures.save(new EdgePosture("edge-1", Instant.parse("2030-01-01T10:00:00Z"), REPORT, "/10.0.0.7:40000"))
        .get(5, TimeUnit.SECONDS);
    String later = "{\"version\":\"0.2.0\",\"uptimeSeconds\":5,\"listeners\":[{\"adapter\":\"coap\"}]}";
    postures.save(new EdgePosture("edge-1", Instant.parse("2030-01-01T11:00:00Z"), later, "/10.0.0.8:40001"))
        .get(5, TimeUnit.SECONDS);

    assertThat(postures.find("edge-1")).contains(
        new EdgePosture("edge-1", Instant.parse("2030-01-01T11:00:00Z"), later, "/10.0.0.8:40001"));
  }

  @Test
  void deletingTheEdgeDeletesItsPosture() throws Exception {
    postures.save(new EdgePosture("edge-1", clock.instant(), REPORT, "/10.0.0.7:40000")).get(5, TimeUnit.SECONDS);

    store.devices().delete("edge-1", null);

    assertThat(postures.find("edge-1")).isEmpty();
    // An edge created again under the same id starts without the old report.
    store.devices().create(new Device("edge-1", IdentityKind.EDGE, IdentityStatus.ENABLED, null,
        TestStores.newKeys(), null, Map.of(), null, null, null, null));
    assertThat(postures.find("edge-1")).isEmpty();
  }

  @Test
  void aReportForAnUnknownDeviceFailsWithNotFound() {
    assertThatThrownBy(() -> postures.save(new EdgePosture("ghost", clock.instant(), REPORT, "/10.0.0.7:1"))
        .get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(NotFoundException.class).hasMessageContaining("no device 'ghost'");
  }
}
