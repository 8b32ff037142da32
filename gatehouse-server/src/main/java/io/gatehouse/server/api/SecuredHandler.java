package io.gatehouse.server.api;

import io.gatehouse.server.auth.Caller;
import io.gatehouse.server.http.ApiRequest;
import io.gatehouse.server.http.ApiResponse;

/** A route that runs only for an authenticated service caller. */
@FunctionalInterface
public interface SecuredHandler {
  ApiResponse handle(ApiRequest request, Caller caller) throws Exception;
}
