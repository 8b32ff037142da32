package io.gatehouse.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing the server disconnects its sessions with "server shutting down" and is idempotent. */
class MqttShutdownTest {
  @Test
  void closeDisconnectsSessions(@TempDir Path directory) throws Exception {
    MqttTestBed bed = new MqttTestBed(directory);
    try {
      String key = bed.registerDevice("lamp-1");
      TestDevice device = TestDevice.v5(bed, "lamp-1");
      assertThat(device.connect(MqttTestBed.token("lamp-1", key, Duration.ofHours(1)))).isZero();
      bed.server().close();
      assertThat(device.serverDisconnectCode()).isEqualTo(0x8B);
      assertThat(bed.sessions().isConnected("lamp-1")).isFalse();
      bed.server().close(); // again: nothing happens
    } finally {
      bed.close();
    }
  }
}
