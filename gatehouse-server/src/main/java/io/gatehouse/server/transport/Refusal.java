package io.gatehouse.server.transport;

/**
 * A request the transport answers itself, with a problem, before any handler sees it; then the
 * connection is closed. Handlers ahead of the dispatcher pass this down the pipeline instead of
 * writing, so that the dispatcher, the only writer, keeps answers in request order.
 *
 * @param detail what the client is told
 * @param reason what the audit line says (no request content beyond sizes)
 */
record Refusal(int status, String title, String detail, String reason) {
  static Refusal badRequest(String detail, String reason) {
    return new Refusal(400, "Bad Request", detail, reason);
  }

  static Refusal contentTooLarge(String detail, String reason) {
    return new Refusal(413, "Content Too Large", detail, reason);
  }
}
