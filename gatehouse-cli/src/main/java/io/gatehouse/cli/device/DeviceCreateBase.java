package io.gatehouse.cli.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.cli.CliException;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.IdentityIdConverter;
import io.gatehouse.cli.common.Tag;
import io.gatehouse.cli.output.Printer;
import io.gatehouse.core.error.InvalidInputException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code device create} and {@code edge create}: they differ only in the kind they register. */
abstract class DeviceCreateBase extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ID", converter = IdentityIdConverter.class,
      description = "The new id: 1 to 128 ASCII letters, digits and - . %% _ * ? ! ( ) , : = @ $ '")
  String id;

  @Option(names = "--parent", paramLabel = "EDGE", converter = IdentityIdConverter.class,
      description = "The field gateway (an existing edge) this device is connected through.")
  String parent;

  @Option(names = "--tag", paramLabel = "KEY=VALUE", converter = Tag.Converter.class,
      description = "A tag, e.g. --tag site=plant-7; repeat for more. Tags group devices and scope service permissions.")
  List<Tag> tags;

  @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "%nAuthentication (default: generated SAS keys):%n")
  AuthenticationOptions authentication;

  @Option(names = "--disabled", description = "Register the device disabled: it cannot connect until enabled.")
  boolean disabled;

  /** {@code device} or {@code edge}. */
  protected abstract String kind();

  @Override
  protected void validate() {
    try {
      Tag.toMap(tags);
    } catch (InvalidInputException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  /** The PUT body; fields left out take the gateway's defaults. */
  ObjectNode body() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("kind", kind());
    body.put("status", disabled ? "disabled" : "enabled");
    if (parent != null) {
      body.put("parentId", parent);
    }
    Map<String, String> tagMap = Tag.toMap(tags);
    if (!tagMap.isEmpty()) {
      ObjectNode tagsJson = body.putObject("tags");
      tagMap.forEach(tagsJson::put);
    }
    body.set("authentication", AuthenticationOptions.toJson(authentication));
    return body;
  }

  @Override
  protected int run(ApiClient client, Printer printer) {
    JsonNode created = client.put(DeviceViews.path(id), body(), null).body();
    printer.printObject(created);
    if (!printer.json() && created.hasNonNull("primaryKey")) {
      note("(the keys are shown only on create and rotate-key; `gatehouse device connection-string "
          + id + "` prints the connection string again)");
    }
    return ExitCodes.OK;
  }
}
