package io.gatehouse.edge.pipeline;

import static io.gatehouse.edge.pipeline.Readings.T0;
import static io.gatehouse.edge.pipeline.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamTest {

  @Test
  void singleIsTheFieldsPlusTimestamp() {
    Upstream single = new Upstream.Single(reading("boiler-1", T0, "temperature", 93.1, "on", true));

    assertThat(new String(single.toJson(), StandardCharsets.UTF_8))
        .isEqualTo("{\"ts\":\"2024-05-01T10:00:00Z\",\"temperature\":93.1,\"on\":true}");
  }

  @Test
  void batchNamesTheDeviceOfEveryReading() {
    Upstream batch = new Upstream.Batch(List.of(
        reading("boiler-1", T0, "temperature", 90.0),
        reading("valve-1", T0.plusSeconds(1), "open", false)));

    assertThat(new String(batch.toJson(), StandardCharsets.UTF_8)).isEqualTo("{\"batch\":["
        + "{\"device\":\"boiler-1\",\"ts\":\"2024-05-01T10:00:00Z\",\"temperature\":90},"
        + "{\"device\":\"valve-1\",\"ts\":\"2024-05-01T10:00:01Z\",\"open\":false}]}");
  }

  @Test
  void anEmptyBatchIsRefused() {
    assertThatThrownBy(() -> new Upstream.Batch(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
