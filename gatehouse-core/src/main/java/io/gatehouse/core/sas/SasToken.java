package io.gatehouse.core.sas;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code SharedAccessSignature sr=…&sig=…&se=…[&skn=…]} token.
 *
 * <p>{@code resourceAsSent} and {@code expiryAsSent} keep the exact text the client signed: the
 * signature is checked over that text, never over a decoded or re-encoded form, because different
 * SDKs send {@code sr} raw or percent-encoded and each signs what it sends.
 */
public record SasToken(
    String resourceAsSent, String resource, byte[] signature, String expiryAsSent, long expiry,
    String keyName) {

  public static final String PREFIX = "SharedAccessSignature ";
  public static final int MAX_LENGTH = 4096;

  public Optional<String> keyNameIfAny() {
    return keyName == null || keyName.isEmpty() ? Optional.empty() : Optional.of(keyName);
  }

  @Override
  public String toString() {
    // Never print the signature: a token is a bearer credential.
    return "SasToken[sr=" + resource + ", se=" + expiry + ", skn=" + keyName + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SasToken t && t.resourceAsSent.equals(resourceAsSent)
        && java.util.Arrays.equals(t.signature, signature) && t.expiryAsSent.equals(expiryAsSent)
        && java.util.Objects.equals(t.keyName, keyName);
  }

  @Override
  public int hashCode() {
    return resourceAsSent.hashCode() * 31 + expiryAsSent.hashCode();
  }

  /**
   * Parses a token. Field order is free and names are case-insensitive (SDKs differ); each field
   * may appear once, unknown fields are refused, and {@code skn} may be present but empty.
   */
  public static SasToken parse(String text) throws SasException {
    if (text == null || text.isEmpty()) {
      throw new SasException(SasException.Reason.MALFORMED, "no SAS token was given");
    }
    if (text.length() > MAX_LENGTH) {
      throw new SasException(SasException.Reason.MALFORMED,
          "SAS token is " + text.length() + " characters; at most " + MAX_LENGTH + " are accepted");
    }
    if (!text.startsWith(PREFIX)) {
      throw new SasException(SasException.Reason.MALFORMED,
          "SAS token must start with 'SharedAccessSignature ' (one space)");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String part : text.substring(PREFIX.length()).split("&", -1)) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new SasException(SasException.Reason.MALFORMED,
            "SAS token field '" + abbreviate(part) + "' is not of the form name=value");
      }
      String name = part.substring(0, eq).toLowerCase(Locale.ROOT);
      if (!name.equals("sr") && !name.equals("sig") && !name.equals("se") && !name.equals("skn")) {
        throw new SasException(SasException.Reason.MALFORMED,
            "SAS token has an unknown field '" + abbreviate(name) + "'; expected sr, sig, se and optionally skn");
      }
      if (fields.putIfAbsent(name, part.substring(eq + 1)) != null) {
        throw new SasException(SasException.Reason.MALFORMED, "SAS token field '" + name + "' appears twice");
      }
    }
    String sr = require(fields, "sr");
    String sig = require(fields, "sig");
    String se = require(fields, "se");
    String skn = fields.get("skn");
    try {
      String resource = PercentCodec.decode(sr);
      byte[] signature = Base64.getDecoder().decode(PercentCodec.decode(sig));
      if (signature.length != 32) {
        throw new SasException(SasException.Reason.MALFORMED,
            "SAS token signature must be a base64 HMAC-SHA256 (32 bytes), got " + signature.length + " bytes");
      }
      if (!se.matches("[0-9]{1,12}")) {
        throw new SasException(SasException.Reason.MALFORMED,
            "SAS token expiry 'se' must be whole seconds since 1970-01-01 UTC");
      }
      String keyName = skn == null ? null : PercentCodec.decode(skn);
      return new SasToken(sr, resource, signature, se, Long.parseLong(se), keyName);
    } catch (IllegalArgumentException | io.gatehouse.core.error.InvalidInputException e) {
      throw new SasException(SasException.Reason.MALFORMED, "SAS token is not well encoded: " + e.getMessage());
    }
  }

  private static String require(Map<String, String> fields, String name) throws SasException {
    String value = fields.get(name);
    if (value == null || value.isEmpty()) {
      throw new SasException(SasException.Reason.MALFORMED, "SAS token has no '" + name + "' field");
    }
    return value;
  }

  private static String abbreviate(String s) {
    return s.length() > 32 ? s.substring(0, 32) + "…" : s;
  }
}
