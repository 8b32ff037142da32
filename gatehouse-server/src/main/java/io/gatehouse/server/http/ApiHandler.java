package io.gatehouse.server.http;

/** Handles one route. Runs on a virtual thread, so it may block on the store. */
@FunctionalInterface
public interface ApiHandler {
  ApiResponse handle(ApiRequest request) throws Exception;
}
