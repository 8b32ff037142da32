package io.gatehouse.cli.service;

import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.client.ServiceCredential;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.Ttl;
import io.gatehouse.cli.output.Printer;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gatehouse service token}: signs a service SAS token with the credential the CLI uses
 * (the operator's by default, or {@code --credential}), for curl and scripts. Signed locally: no
 * call to the gateway, and the key itself is never printed.
 */
@Command(name = "token", sortOptions = false,
    description = {
      "Print a service SAS token for the credential this CLI uses (the operator's, or --credential), "
          + "to call the HTTPS service API directly: curl -H \"Authorization: $(gatehouse service token)\" …",
      "Signed locally; prints only the token. It is a bearer credential: keep it secret."
    })
public final class ServiceTokenCommand extends ApiCommand {
  @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h", converter = Ttl.Converter.class,
      description = "How long the token is valid: e.g. 90s, 30m, 1h, 7d; at least 1m, at most 365d "
          + "(default: ${DEFAULT-VALUE}).")
  Duration ttl;

  @Override
  protected int run(ApiClient client, Printer printer) {
    ServiceCredential credential = client.connection().credential();
    Instant now = io.gatehouse.cli.CliContext.of(spec).clock().instant();
    spec.commandLine().getOut().println(credential.token(now.plus(ttl)));
    return ExitCodes.OK;
  }
}
