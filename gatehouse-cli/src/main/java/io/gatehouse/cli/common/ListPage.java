package io.gatehouse.cli.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.cli.CliException;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.client.ApiPath;
import io.gatehouse.cli.output.Column;
import io.gatehouse.cli.output.Printer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The items of a {@code {"items":[…],"continuationToken":…}} listing: one page, or with
 * {@code all} every page, following continuation tokens.
 */
public record ListPage(List<JsonNode> items, Optional<String> continuationToken) {
  /** The most pages {@code --all} follows; a server that never ends its listing is a bug, not a loop. */
  public static final int MAX_PAGES = 100_000;

  /**
   * @param pathFor the request path for a continuation token ({@code null} for the first page)
   */
  public static ListPage fetch(ApiClient client, Function<String, ApiPath> pathFor, boolean all) {
    List<JsonNode> items = new ArrayList<>();
    String token = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      JsonNode body = client.get(pathFor.apply(token)).body();
      JsonNode pageItems = body.get("items");
      if (pageItems == null || !pageItems.isArray()) {
        throw CliException.refused("the gateway's listing has no \"items\" array; is --url the Gatehouse service API?");
      }
      pageItems.forEach(items::add);
      JsonNode next = body.get("continuationToken");
      String nextToken = next == null || next.isNull() || next.asText().isEmpty() ? null : next.asText();
      if (!all || nextToken == null) {
        return new ListPage(List.copyOf(items), Optional.ofNullable(nextToken));
      }
      if (nextToken.equals(token)) {
        throw CliException.refused("the gateway returned the same continuation token twice; listing stopped");
      }
      token = nextToken;
    }
    throw CliException.refused("the listing did not end after " + MAX_PAGES + " pages; use --page-size");
  }

  /** {@code {"items":[…]}} plus {@code continuationToken} when more pages exist. */
  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.putArray("items").addAll(items);
    continuationToken.ifPresent(t -> json.put("continuationToken", t));
    return json;
  }

  /** JSON, or a table followed by a note on stderr when there are more pages. */
  public void print(Printer printer, List<Column> columns, String noun, Consumer<String> note) {
    if (printer.json()) {
      printer.printJson(toJson());
      return;
    }
    printer.printTable(columns, items);
    if (items.isEmpty()) {
      note.accept("(no " + noun + ")");
    }
    if (continuationToken.isPresent()) {
      note.accept("(more " + noun + " exist: pass --all to list them all)");
    }
  }
}
