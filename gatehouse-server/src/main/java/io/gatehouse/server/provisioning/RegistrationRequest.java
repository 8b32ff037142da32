package io.gatehouse.server.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;

/**
 * The DPS {@code DeviceRegistration} body: {@code registrationId}, optional {@code tpm} with the
 * endorsement and storage root keys, optional {@code payload} (any JSON; accepted and not
 * interpreted, since there is no custom allocation to hand it to). Anything else is refused by
 * name, so a client that expects a feature this service lacks (a certificate signing request)
 * hears so instead of being silently ignored.
 */
public record RegistrationRequest(String registrationId, Tpm tpm, JsonNode payload) {
  public static final int MAX_BODY_BYTES = 16 * 1024;
  private static final Set<String> FIELDS = Set.of("registrationId", "tpm", "payload");

  /** The device's TPM public keys, decoded from base64 (marshalled TPM2B_PUBLIC each). */
  public record Tpm(byte[] endorsementKey, byte[] storageRootKey) {}

  /**
   * @param pathRegistrationId the id in the URL; the body's must match it (case-insensitively)
   * @throws DpsException naming what is wrong with the body
   */
  public static RegistrationRequest parse(byte[] body, String pathRegistrationId, ObjectMapper mapper) {
    if (body.length > MAX_BODY_BYTES) {
      throw new DpsException(DpsErrorCode.TOO_LARGE, "the registration body is " + body.length + " bytes; at most "
          + MAX_BODY_BYTES + " are accepted");
    }
    if (body.length == 0) {
      throw malformed("the body is empty; send {\"registrationId\":\"" + pathRegistrationId + "\"}");
    }
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw malformed("the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw malformed("the body cannot be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw malformed("the body must be a JSON object with registrationId");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw malformed("unknown field '" + name + "'" + (name.equals("csr")
            ? ": certificate signing requests are not supported by this provisioning service"
            : "; known fields: registrationId, tpm, payload"));
      }
    }
    JsonNode id = root.get("registrationId");
    if (id == null || !id.isTextual()) {
      throw malformed("registrationId is missing or not a string");
    }
    if (!id.asText().equalsIgnoreCase(pathRegistrationId)) {
      throw malformed("the body's registrationId '" + id.asText() + "' is not the one in the path, '"
          + pathRegistrationId + "'");
    }
    return new RegistrationRequest(id.asText(), tpm(root.get("tpm")), root.get("payload"));
  }

  private static Tpm tpm(JsonNode tpm) {
    if (tpm == null || tpm.isNull()) {
      return null;
    }
    if (!tpm.isObject()) {
      throw malformed("tpm must be an object with endorsementKey and storageRootKey");
    }
    for (Iterator<String> names = tpm.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("endorsementKey") && !name.equals("storageRootKey")) {
        throw malformed("unknown field 'tpm." + name + "'; known: endorsementKey, storageRootKey");
      }
    }
    return new Tpm(base64(tpm, "endorsementKey"), base64(tpm, "storageRootKey"));
  }

  private static byte[] base64(JsonNode tpm, String field) {
    JsonNode value = tpm.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw malformed("tpm." + field + " is missing; send the key's TPM2B_PUBLIC in base64");
    }
    try {
      return Base64.getDecoder().decode(value.asText());
    } catch (IllegalArgumentException e) {
      throw malformed("tpm." + field + " is not valid base64");
    }
  }

  private static DpsException malformed(String message) {
    return new DpsException(DpsErrorCode.MALFORMED_REQUEST, message);
  }
}
