package io.gatehouse.cli.common;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.identity.IdentityIds;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Checks a device, edge or service id against the registry's rules before it is sent. */
public final class IdentityIdConverter implements ITypeConverter<String> {
  @Override
  public String convert(String value) {
    try {
      return IdentityIds.requireValid("the id '" + value + "'", value);
    } catch (InvalidInputException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
