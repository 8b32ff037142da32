package io.gatehouse.server.transport;

/**
 * What the dispatcher tells the connection's other handlers, as user events fired from the head of
 * the pipeline (so that handlers ahead of it see them).
 */
enum ConnectionEvent {
  /** A complete request is being answered: the request deadline no longer applies. */
  REQUEST_RECEIVED,
  /** All answers are written and the connection waits for the next request: the deadline starts again. */
  AWAITING_REQUEST,
  /** A refusal was written: discard what the client still sends, then close. */
  REFUSED
}
