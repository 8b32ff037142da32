package io.gatehouse.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Optional;

/**
 * A successful answer of the gateway.
 *
 * @param status the HTTP status (2xx)
 * @param body the JSON body; {@link MissingNode} when there is none (204); a text node when the
 *     server answered with plain text
 * @param etag the {@code ETag} header as sent (send it back in {@code If-Match} unchanged)
 */
public record ApiResponse(int status, JsonNode body, Optional<String> etag) {
  public boolean hasBody() {
    return !body.isMissingNode();
  }
}
