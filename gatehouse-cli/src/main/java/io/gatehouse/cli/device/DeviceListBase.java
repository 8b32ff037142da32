package io.gatehouse.cli.device;

import io.gatehouse.cli.CliException;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.client.ApiPath;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.IdentityIdConverter;
import io.gatehouse.cli.common.ListPage;
import io.gatehouse.cli.common.Tag;
import io.gatehouse.cli.output.Printer;
import picocli.CommandLine.Option;

/** {@code device list} and {@code edge list}, in id order, one page or all of them. */
abstract class DeviceListBase extends ApiCommand {
  @Option(names = "--status", paramLabel = "STATUS",
      description = "Only devices with this status: ${COMPLETION-CANDIDATES}.")
  DeviceStatus status;

  @Option(names = "--parent", paramLabel = "EDGE", converter = IdentityIdConverter.class,
      description = "Only the children of this field gateway.")
  String parent;

  @Option(names = "--tag", paramLabel = "KEY=VALUE", converter = Tag.Converter.class,
      description = "Only devices with this tag, e.g. site=plant-7.")
  Tag tag;

  @Option(names = "--page-size", paramLabel = "N", description = "Devices per request (default: the gateway's).")
  Integer pageSize;

  @Option(names = "--all", description = "Follow continuation tokens and list every matching device.")
  boolean all;

  /** The kind to list, or {@code null} for both. */
  protected abstract String kind();

  /** How the listed things are called, e.g. {@code devices}. */
  protected abstract String noun();

  @Override
  protected void validate() {
    if (pageSize != null && pageSize < 1) {
      throw CliException.usage("--page-size must be at least 1, got " + pageSize);
    }
  }

  ApiPath path(String continuationToken) {
    return ApiPath.of("devices")
        .query("kind", kind())
        .query("status", status)
        .query("parent", parent)
        .query("tag", tag == null ? null : tag.key() + ":" + tag.value())
        .query("pageSize", pageSize)
        .query("continuationToken", continuationToken);
  }

  @Override
  protected int run(ApiClient client, Printer printer) {
    ListPage.fetch(client, this::path, all).print(printer, DeviceViews.COLUMNS, noun(), this::note);
    return ExitCodes.OK;
  }
}
