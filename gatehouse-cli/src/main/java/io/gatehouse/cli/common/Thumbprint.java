package io.gatehouse.cli.common;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.identity.Authentication;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The picocli converter of SHA-256 certificate thumbprints: 64 hex digits, colons allowed. */
public final class Thumbprint implements ITypeConverter<String> {
  @Override
  public String convert(String value) {
    try {
      return new Authentication.X509Thumbprints(value, null).primaryThumbprint();
    } catch (InvalidInputException e) {
      throw new TypeConversionException("'" + value + "' is not a SHA-256 thumbprint: 64 hex digits "
          + "(colons allowed), as `openssl x509 -noout -fingerprint -sha256` prints");
    }
  }
}
