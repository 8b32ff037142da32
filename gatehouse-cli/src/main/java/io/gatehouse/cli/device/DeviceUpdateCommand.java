package io.gatehouse.cli.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.cli.CliException;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.client.ApiResponse;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.IdentityIdConverter;
import io.gatehouse.cli.common.Tag;
import io.gatehouse.cli.common.Thumbprint;
import io.gatehouse.cli.output.Printer;
import io.gatehouse.core.error.InvalidInputException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gatehouse device update ID}: reads the device, changes tags, parent or certificate
 * thumbprints, and writes it back with {@code If-Match}, so a concurrent change is refused (412)
 * instead of overwritten.
 */
@Command(name = "update", sortOptions = false,
    description = {
      "Change a device's tags, parent or certificate thumbprints (GET, then PUT /devices/{id} with If-Match; "
          + "needs registry.write).",
      "Keys and status are kept, and so is the kind of credential. If the device changed in between, nothing "
          + "is written: run the command again.",
      "Certificate rollover of a thumbprint device or edge: add the new certificate's thumbprint with "
          + "--x509-secondary-thumbprint, put the new certificate in place, then make it the primary with "
          + "--x509-thumbprint NEW --no-x509-secondary-thumbprint. A change of thumbprints ends the device's live "
          + "session; it reconnects with whichever registered certificate it holds."
    })
public final class DeviceUpdateCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ID", converter = IdentityIdConverter.class, description = "The device id.")
  String id;

  @Option(names = "--tag", paramLabel = "KEY=VALUE", converter = Tag.Converter.class,
      description = "Add or change a tag; repeat for more.")
  List<Tag> tags;

  @Option(names = "--remove-tag", paramLabel = "KEY", description = "Remove a tag; repeat for more.")
  List<String> removeTags;

  @Option(names = "--parent", paramLabel = "EDGE", converter = IdentityIdConverter.class,
      description = "Connect the device through this field gateway.")
  String parent;

  @Option(names = "--no-parent", description = "Detach the device from its field gateway.")
  boolean noParent;

  @Option(names = "--x509-thumbprint", paramLabel = "HEX", converter = Thumbprint.class,
      description = "Replace the primary certificate thumbprint (SHA-256, 64 hex digits) of an x509-thumbprint device.")
  String primaryThumbprint;

  @Option(names = "--x509-secondary-thumbprint", paramLabel = "HEX", converter = Thumbprint.class,
      description = "Set the second accepted certificate thumbprint, for rollover.")
  String secondaryThumbprint;

  @Option(names = "--no-x509-secondary-thumbprint", description = "Stop accepting the second certificate.")
  boolean noSecondaryThumbprint;

  @Override
  protected void validate() {
    if (tags == null && removeTags == null && parent == null && !noParent && !changesThumbprints()) {
      throw CliException.usage("nothing to change: pass --tag, --remove-tag, --parent, --no-parent or an "
          + "--x509-…thumbprint option");
    }
    if (parent != null && noParent) {
      throw CliException.usage("--parent and --no-parent contradict each other; pass one");
    }
    if (secondaryThumbprint != null && noSecondaryThumbprint) {
      throw CliException.usage("--x509-secondary-thumbprint and --no-x509-secondary-thumbprint contradict each "
          + "other; pass one");
    }
    try {
      Map<String, String> set = Tag.toMap(tags);
      if (removeTags != null) {
        removeTags.stream().filter(set::containsKey).findFirst().ifPresent(key -> {
          throw CliException.usage("tag '" + key + "' is both set and removed; pass one");
        });
      }
    } catch (InvalidInputException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  /** The replacement body: the device as it is, with the requested changes. */
  ObjectNode replacement(JsonNode current) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("kind", current.path("kind").asText("device"));
    body.put("status", current.path("status").asText("enabled"));
    if (current.hasNonNull("statusReason")) {
      body.put("statusReason", current.get("statusReason").asText());
    }
    String newParent = noParent ? null : parent != null ? parent
        : current.hasNonNull("parentId") ? current.get("parentId").asText() : null;
    body.put("parentId", newParent);
    Map<String, String> newTags = new TreeMap<>();
    current.path("tags").properties().forEach(e -> newTags.put(e.getKey(), e.getValue().asText()));
    newTags.putAll(Tag.toMap(tags));
    if (removeTags != null) {
      removeTags.forEach(newTags::remove);
    }
    ObjectNode tagsJson = body.putObject("tags");
    newTags.forEach(tagsJson::put);
    ObjectNode auth = body.putObject("authentication");
    JsonNode currentAuth = current.path("authentication");
    String type = currentAuth.path("type").asText("sas");
    if (changesThumbprints() && !type.equals("x509-thumbprint")) {
      throw CliException.refused("device '" + id + "' authenticates with " + type + ", not with certificate "
          + "thumbprints; the --x509-…thumbprint options change the thumbprints of an x509-thumbprint device");
    }
    auth.put("type", type);
    for (String field : List.of("primaryThumbprint", "secondaryThumbprint")) {
      if (currentAuth.hasNonNull(field)) {
        auth.put(field, currentAuth.get(field).asText());
      }
    }
    if (primaryThumbprint != null) {
      auth.put("primaryThumbprint", primaryThumbprint);
    }
    if (secondaryThumbprint != null) {
      auth.put("secondaryThumbprint", secondaryThumbprint);
    }
    if (noSecondaryThumbprint) {
      auth.remove("secondaryThumbprint");
    }
    return body;
  }

  private boolean changesThumbprints() {
    return primaryThumbprint != null || secondaryThumbprint != null || noSecondaryThumbprint;
  }

  @Override
  protected int run(ApiClient client, Printer printer) {
    ApiResponse current = client.get(DeviceViews.path(id));
    String etag = ApiClient.etagOf(current).orElseThrow(() ->
        CliException.refused("the gateway sent no ETag for device '" + id + "', so it cannot be updated safely"));
    printer.printObject(client.put(DeviceViews.path(id), replacement(current.body()), etag).body());
    return ExitCodes.OK;
  }
}
