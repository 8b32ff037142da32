package io.gatehouse.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.client.ApiPath;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.output.Printer;
import picocli.CommandLine.Command;

/** {@code gatehouse audit verify}: exit 0 when the chain is intact, 1 when it is broken. */
@Command(name = "verify", sortOptions = false,
    description = {
      "Check the audit log's hash chain (GET /audit/verify; needs audit.read).",
      "Exits 0 when every entry is intact, 1 when the chain is broken, printing the first bad entry."
    })
public final class AuditVerifyCommand extends ApiCommand {
  @Override
  protected int run(ApiClient client, Printer printer) {
    JsonNode result = client.get(ApiPath.of("audit", "verify")).body();
    boolean intact = result.path("intact").asBoolean(false);
    if (printer.json()) {
      printer.printJson(result);
    } else {
      printer.printLine(describe(result));
    }
    return intact ? ExitCodes.OK : ExitCodes.REFUSED;
  }

  static String describe(JsonNode result) {
    if (result.path("intact").asBoolean(false)) {
      return "audit log intact: " + result.path("entriesChecked").asText("?") + " entries checked, head sequence "
          + result.path("headSequence").asText("?") + ", head hash " + result.path("headHash").asText("?");
    }
    return "audit log BROKEN at sequence " + result.path("firstBadSequence").asText("?") + ": "
        + result.path("problem").asText("no reason given");
  }
}
