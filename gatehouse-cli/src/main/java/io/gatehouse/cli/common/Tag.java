package io.gatehouse.cli.common;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.identity.Tags;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A {@code KEY=VALUE} tag from the command line; the value may itself contain {@code =}. */
public record Tag(String key, String value) {
  public static Tag parse(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new InvalidInputException("tag '" + text + "' must be KEY=VALUE, e.g. site=plant-7");
    }
    String key = Tags.requireKey(text.substring(0, eq));
    String value = text.substring(eq + 1);
    Tags.copyValid(Map.of(key, value));
    return new Tag(key, value);
  }

  /** The tags as a map; the same key twice is refused as it is most likely a typo. */
  public static Map<String, String> toMap(Iterable<Tag> tags) {
    Map<String, String> map = new TreeMap<>();
    if (tags != null) {
      for (Tag tag : tags) {
        if (map.put(tag.key(), tag.value()) != null) {
          throw new InvalidInputException("tag '" + tag.key() + "' is given twice; a device has one value per tag");
        }
      }
    }
    return map;
  }

  /** The picocli converter of {@code --tag}. */
  public static final class Converter implements ITypeConverter<Tag> {
    @Override
    public Tag convert(String value) {
      try {
        return parse(value);
      } catch (InvalidInputException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
