package io.gatehouse.device.tpm.transport;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Where a TPM is, as a user writes it: {@code swtpm://127.0.0.1:2321} for the simulator's TCP
 * server, or a device path such as {@code /dev/tpmrm0} (also {@code device:///dev/tpmrm0}).
 */
public sealed interface TpmAddress {
  record Swtpm(String host, int port) implements TpmAddress {
    @Override
    public TpmTransport open() {
      return SwtpmSocketTransport.connect(host, port);
    }
  }

  record Device(Path path) implements TpmAddress {
    @Override
    public TpmTransport open() {
      return LinuxTpmDevice.open(path);
    }
  }

  TpmTransport open();

  static TpmAddress parse(String text) {
    if (text.startsWith("/")) {
      return new Device(Path.of(text));
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + text + "' is not a TPM address: " + e.getMessage()
          + "; use swtpm://HOST:PORT or a device path such as /dev/tpmrm0");
    }
    if ("swtpm".equals(uri.getScheme())) {
      if (uri.getHost() == null || uri.getPort() < 0 || (uri.getPath() != null && !uri.getPath().isEmpty())) {
        throw new IllegalArgumentException("'" + text + "' needs a host and a port and nothing else: swtpm://127.0.0.1:2321");
      }
      return new Swtpm(uri.getHost(), uri.getPort());
    }
    if ("device".equals(uri.getScheme()) && uri.getPath() != null && uri.getPath().startsWith("/")) {
      return new Device(Path.of(uri.getPath()));
    }
    throw new IllegalArgumentException("'" + text + "' is not a TPM address; use swtpm://HOST:PORT (the simulator's "
        + "TCP server) or a device path such as /dev/tpmrm0");
  }
}
