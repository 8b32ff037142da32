package io.gatehouse.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.cli.CliException;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.IdentityIdConverter;
import io.gatehouse.cli.output.Printer;
import io.gatehouse.core.error.InvalidInputException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse service create NAME --permit …}: prints the new identity with its keys. */
@Command(name = "create", sortOptions = false,
    description = {
      "Create a service identity (PUT /services/{name}; needs admin). Prints it with its keys and "
          + "connection string; with --output json the gateway's answer as is (name, connectionString, primaryKey, …).",
      "Nothing is allowed unless permitted; admin manages services and CA certificates and implies nothing else."
    },
    footerHeading = "%nPermit syntax:%n",
    footer = {
      "  PERMISSION                    every device: registry.read",
      "  PERMISSION:devices=ID[,ID...] these devices: messages.send:devices=d1,d2",
      "  PERMISSION:device=ID          one device, the id as is (for ids with a comma)",
      "  PERMISSION:tag=KEY=VALUE      tagged devices: telemetry.read:tag=site=plant-7",
      "",
      "Permissions: registry.read, registry.write, messages.send, telemetry.read, audit.read, admin, enrollments.read, enrollments.write. "
          + "Only messages.send and telemetry.read can be scoped. Repeating a permission widens its "
          + "scope: a device is covered if any of its scopes matches. A permission is either "
          + "unscoped or scoped, and its scope holds one value per tag key.",
      "",
      "Example:",
      "  gatehouse service create dashboard --permit registry.read \\",
      "      --permit messages.send:devices=d1 --permit messages.send:tag=site=a"
    })
public final class ServiceCreateCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "NAME", converter = IdentityIdConverter.class,
      description = "The identity's name; it signs tokens as skn=NAME.")
  String name;

  @Option(names = "--permit", paramLabel = "PERMISSION[:SCOPE]", required = true, converter = PermitConverter.class,
      description = "A permission, optionally scoped (see Permit syntax below); repeat for more.")
  List<Permit> permits;

  @Option(names = "--disabled", description = "Create the identity disabled: its tokens are refused until enabled.")
  boolean disabled;

  @Override
  protected void validate() {
    body();
  }

  /** The PUT body; refuses contradicting permits as a usage error. */
  ObjectNode body() {
    List<Permit> merged;
    try {
      merged = Permit.merge(permits);
    } catch (InvalidInputException e) {
      throw CliException.usage(e.getMessage());
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("status", disabled ? "disabled" : "enabled");
    ArrayNode permissions = body.putArray("permissions");
    merged.forEach(p -> permissions.add(p.toJson()));
    return body;
  }

  @Override
  protected int run(ApiClient client, Printer printer) {
    JsonNode created = client.put(ServiceViews.path(name), body(), null).body();
    ServiceViews.print(printer, created);
    if (!printer.json() && created.hasNonNull("primaryKey")) {
      note("(the keys are shown only on create and rotate-key; `gatehouse service connection-string "
          + name + "` prints the connection string again)");
    }
    return ExitCodes.OK;
  }
}
