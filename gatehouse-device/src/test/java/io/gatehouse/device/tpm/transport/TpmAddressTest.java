package io.gatehouse.device.tpm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TpmAddressTest {
  @Test
  void readsTheSimulatorAndDeviceForms() {
    assertThat(TpmAddress.parse("swtpm://127.0.0.1:2321")).isEqualTo(new TpmAddress.Swtpm("127.0.0.1", 2321));
    assertThat(TpmAddress.parse("/dev/tpmrm0")).isEqualTo(new TpmAddress.Device(Path.of("/dev/tpmrm0")));
    assertThat(TpmAddress.parse("device:///dev/tpmrm0")).isEqualTo(new TpmAddress.Device(Path.of("/dev/tpmrm0")));
  }

  @Test
  void refusesWhatIsNotATpmAddressAndSaysWhatIs() {
    assertThatThrownBy(() -> TpmAddress.parse("swtpm://127.0.0.1")).hasMessageContaining("needs a host and a port");
    assertThatThrownBy(() -> TpmAddress.parse("tcp://127.0.0.1:2321")).hasMessageContaining("use swtpm://HOST:PORT");
    assertThatThrownBy(() -> TpmAddress.parse("swtpm://h:1/x")).hasMessageContaining("nothing else");
  }

  @Test
  void aMissingDeviceIsExplained() {
    assertThatThrownBy(() -> new TpmAddress.Device(Path.of("/nonexistent/tpmrm9")).open())
        .isInstanceOf(TpmTransportException.class)
        .hasMessageContaining("there is no TPM at /nonexistent/tpmrm9");
  }
}
