package io.gatehouse.server.transport;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.server.http.JsonCodec;
import io.gatehouse.server.http.Router;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A tiny API: a JSON greeting, an echo, two failures and a handler that waits for the test. */
final class TestApi {
  final JsonCodec json = new JsonCodec();
  final AtomicInteger helloCalls = new AtomicInteger();
  final CountDownLatch gateEntered = new CountDownLatch(1);
  final CountDownLatch gateOpen = new CountDownLatch(1);

  Router router() {
    return new Router()
        .add("GET", "/hello/{name}", request -> {
          helloCalls.incrementAndGet();
          return json.response(200, Map.of("hello", request.pathParameter("name"), "query", request.query()));
        })
        .add("PUT", "/hello/{name}", request -> json.response(200, Map.of("put", request.pathParameter("name"))))
        .add("POST", "/echo", request -> json.response(200, Map.of("bytes", request.body().length)))
        .add("GET", "/boom", request -> {
          throw new IllegalStateException("database password is hunter2");
        })
        .add("GET", "/invalid", request -> {
          throw new InvalidInputException("the name must not be empty");
        })
        .add("GET", "/gate", request -> {
          gateEntered.countDown();
          gateOpen.await();
          return json.response(200, Map.of("gate", "passed"));
        });
  }
}
