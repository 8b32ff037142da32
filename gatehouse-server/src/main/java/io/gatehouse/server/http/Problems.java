package io.gatehouse.server.http;

import io.gatehouse.core.error.AlreadyExistsException;
import io.gatehouse.core.error.ConflictException;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.error.LimitExceededException;
import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.core.error.PreconditionFailedException;

/** Maps domain failures to HTTP problems; anything unexpected is a 500 with no internals leaked. */
public final class Problems {
  private Problems() {}

  public static ProblemException from(Throwable failure) {
    if (failure instanceof ProblemException problem) {
      return problem;
    }
    if (failure instanceof GatehouseException domain) {
      return switch (domain) {
        case InvalidInputException e -> new ProblemException(400, "Bad Request", e.getMessage());
        case NotFoundException e -> new ProblemException(404, "Not Found", e.getMessage());
        case AlreadyExistsException e -> new ProblemException(409, "Conflict", e.getMessage());
        case ConflictException e -> new ProblemException(409, "Conflict", e.getMessage());
        case PreconditionFailedException e -> new ProblemException(412, "Precondition Failed", e.getMessage());
        case LimitExceededException e -> new ProblemException(429, "Too Many Requests", e.getMessage());
      };
    }
    return new ProblemException(500, "Internal Server Error",
        "the server failed to handle this request; the failure is logged with this request's id");
  }

  public static ProblemException unauthorized(String detail) {
    return new ProblemException(401, "Unauthorized", detail);
  }

  public static ProblemException forbidden(String detail, String missingPermission) {
    return missingPermission == null
        ? new ProblemException(403, "Forbidden", detail)
        : new ProblemException(403, "Forbidden", detail, java.util.Map.of("missingPermission", missingPermission));
  }
}
