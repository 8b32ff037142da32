package io.gatehouse.edge.alarm;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.edge.pipeline.ConfigYaml;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads the {@code alarms:} section of the edge config; see {@link AlarmRule} for the properties. */
public final class AlarmRules {
  public static final String ROOT_KEY = "alarms";

  private AlarmRules() {}

  /**
   * Parses YAML that is either the list of rules or a mapping {@code alarms: [...]}, and checks that
   * names are unique. Throws {@link IllegalArgumentException} naming the rule and property at fault.
   */
  public static List<AlarmRule> parse(String yaml) {
    return requireUniqueNames(ConfigYaml.readList(yaml, ROOT_KEY, AlarmRule.class));
  }

  /** Binds the {@code alarms} node of a config file already parsed (see {@link ConfigYaml#strictMapper()}). */
  public static List<AlarmRule> fromTree(JsonNode alarms) {
    return requireUniqueNames(ConfigYaml.readList(alarms, ROOT_KEY, AlarmRule.class));
  }

  static List<AlarmRule> requireUniqueNames(List<AlarmRule> rules) {
    Set<String> names = new HashSet<>();
    for (AlarmRule rule : rules) {
      if (!names.add(rule.name())) {
        throw new IllegalArgumentException("alarm name '" + rule.name() + "' is used twice; give each rule its own name");
      }
    }
    return rules;
  }
}
