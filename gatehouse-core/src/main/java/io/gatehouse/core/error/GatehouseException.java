package io.gatehouse.core.error;

/**
 * A failure a caller can act on. Each subtype maps to one class of answer (HTTP status, MQTT reason
 * code), and its message is written for the person who sent the request: what was wrong, and what to do.
 */
public abstract sealed class GatehouseException extends RuntimeException
    permits InvalidInputException, NotFoundException, AlreadyExistsException, PreconditionFailedException, ConflictException,
        LimitExceededException {

  protected GatehouseException(String message) {
    super(message);
  }

  protected GatehouseException(String message, Throwable cause) {
    super(message, cause);
  }
}
