package io.gatehouse.cli.ca;

import io.gatehouse.cli.common.IdentityIdConverter;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gatehouse.cli.CliException;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.output.Printer;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.x509.Certificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse ca add NAME --pem FILE}. */
@Command(name = "add", sortOptions = false,
    description = {
      "Add a CA certificate (PUT /certificates/{name}; needs admin). Devices created with --x509-ca "
          + "then authenticate with client certificates it issued.",
      "Only CA certificates (basicConstraints CA=true) within their validity are accepted."
    })
public final class CaAddCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "NAME", converter = IdentityIdConverter.class, description = "A name for the certificate.")
  String name;

  @Option(names = "--pem", paramLabel = "FILE", required = true, description = "The PEM file of the CA certificate.")
  Path pem;

  private String pemText;

  @Override
  protected void validate() {
    try {
      pemText = Files.readString(pem);
    } catch (NoSuchFileException e) {
      throw CliException.usage("the PEM file " + pem.toAbsolutePath() + " does not exist", e);
    } catch (IOException e) {
      throw CliException.usage("cannot read the PEM file " + pem.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    try {
      Certificates.parsePem(pemText);
    } catch (InvalidInputException e) {
      throw CliException.usage(pem + ": " + e.getMessage());
    }
  }

  @Override
  protected int run(ApiClient client, Printer printer) {
    var body = JsonNodeFactory.instance.objectNode().put("pem", pemText);
    printer.printObject(client.put(CaViews.path(name), body, null).body());
    return ExitCodes.OK;
  }
}
