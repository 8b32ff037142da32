package io.gatehouse.cli.device;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.cli.common.Thumbprint;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** How a new device authenticates: SAS keys (no option), X.509 thumbprints, or a CA-signed certificate. */
public final class AuthenticationOptions {
  @ArgGroup(exclusive = false, multiplicity = "1")
  Thumbprints thumbprints;

  @Option(names = "--x509-ca", required = true,
      description = "Authenticate with a client certificate issued by a CA added with `gatehouse ca add`; "
          + "its subject CN must be the device id.")
  boolean x509Ca;

  /** Thumbprint authentication: a primary and optionally a secondary certificate. */
  static final class Thumbprints {
    @Option(names = "--x509-thumbprint", paramLabel = "HEX", required = true, converter = Thumbprint.class,
        description = "Authenticate with the client certificate of this SHA-256 thumbprint (64 hex digits).")
    String primary;

    @Option(names = "--x509-secondary-thumbprint", paramLabel = "HEX", converter = Thumbprint.class,
        description = "A second accepted certificate thumbprint, for certificate rollover.")
    String secondary;
  }

  /** The {@code authentication} object of a device body; SAS when {@code options} is {@code null}. */
  static ObjectNode toJson(AuthenticationOptions options) {
    ObjectNode auth = JsonNodeFactory.instance.objectNode();
    if (options == null) {
      return auth.put("type", "sas");
    }
    if (options.x509Ca) {
      return auth.put("type", "x509-ca");
    }
    auth.put("type", "x509-thumbprint").put("primaryThumbprint", options.thumbprints.primary);
    if (options.thumbprints.secondary != null) {
      auth.put("secondaryThumbprint", options.thumbprints.secondary);
    }
    return auth;
  }
}
