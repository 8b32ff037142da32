package io.gatehouse.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.gatehouse.core.error.InvalidInputException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON in and out of the API. Strict on input: unknown fields, trailing tokens, duplicate keys and
 * deep nesting are refused with a message naming the offending field.
 *
 * <p>Cheap per call: each type's reader and writer is built once (so no per-call type lookup), and
 * buffers come from a bounded pool shared by all threads. Jackson's default pool keeps them per
 * thread, and every request runs on a virtual thread of its own, so each call allocated fresh ones.
 */
public final class JsonCodec {
  /** Buffer sets kept for reuse; more concurrent calls allocate their own, as without a pool. */
  private static final int POOLED_BUFFERS = 64;

  private final ObjectMapper mapper;
  private final ClassValue<ObjectReader> readers = new ClassValue<>() {
    @Override
    protected ObjectReader computeValue(Class<?> type) {
      return mapper.readerFor(type);
    }
  };
  private final ClassValue<ObjectWriter> writers = new ClassValue<>() {
    @Override
    protected ObjectWriter computeValue(Class<?> type) {
      return mapper.writerFor(type);
    }
  };

  public JsonCodec() {
    JsonFactory factory = JsonFactory.builder()
        .recyclerPool(JsonRecyclerPools.newBoundedPool(POOLED_BUFFERS))
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
        .build();
    mapper = JsonMapper.builder(factory)
        .addModule(new JavaTimeModule())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .build();
  }

  public <T> T read(byte[] body, Class<T> type) {
    if (body == null || body.length == 0) {
      throw new InvalidInputException("request body is empty; send a JSON object");
    }
    try {
      T value = readers.get(type).readValue(body);
      if (value == null) {
        throw new InvalidInputException("request body is JSON null; send a JSON object");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidInputException("unknown field '" + e.getPropertyName() + "' in request body; known fields: "
          + e.getKnownPropertyIds());
    } catch (JsonMappingException e) {
      Throwable root = e.getCause() instanceof InvalidInputException iie ? iie : null;
      if (root != null) {
        throw (InvalidInputException) root;
      }
      throw new InvalidInputException("request body does not fit the expected shape at " + path(e) + ": "
          + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidInputException("request body cannot be read: " + e.getMessage());
    }
  }

  public byte[] write(Object value) {
    try {
      return writers.get(value.getClass()).writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  public ApiResponse response(int status, Object value) {
    return new ApiResponse(status, ApiResponse.JSON, Map.of(), write(value));
  }

  /** The RFC 9457 body for a problem. */
  public ApiResponse problem(ProblemException problem, String instance) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", problem.title());
    body.put("status", problem.status());
    body.put("detail", problem.detail());
    if (instance != null) {
      body.put("instance", instance);
    }
    body.putAll(problem.extensions());
    ApiResponse response = new ApiResponse(problem.status(), ApiResponse.PROBLEM_JSON, Map.of(), write(body));
    if (problem.status() == 401) {
      response = response.withHeader("WWW-Authenticate", "SharedAccessSignature");
    }
    return response;
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  private static String path(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        out.append(out.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.isEmpty() ? "the top level" : "'" + out + "'";
  }
}
