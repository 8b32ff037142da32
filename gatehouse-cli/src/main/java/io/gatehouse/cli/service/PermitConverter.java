package io.gatehouse.cli.service;

import io.gatehouse.core.error.InvalidInputException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The picocli converter of {@code --permit}. */
public final class PermitConverter implements ITypeConverter<Permit> {
  @Override
  public Permit convert(String value) {
    try {
      return Permit.parse(value);
    } catch (InvalidInputException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
