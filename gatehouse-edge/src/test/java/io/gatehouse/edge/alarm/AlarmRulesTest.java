package io.gatehouse.edge.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.edge.pipeline.ComparisonOp;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlarmRulesTest {

  @Test
  void parsesRulesWithDurationsAndActions() {
    List<AlarmRule> rules = AlarmRules.parse("""
        alarms:
          - name: overheat
            device: boiler-1
            field: temperature
            op: ">"
            threshold: 90
            for: 30s
            clear-after: 1m
            action: { device: valve-1, payload: '{"open":false}' }
          - name: low-battery
            field: battery
            op: lt
            threshold: 3.3
            action:
              device: buzzer-1
              payload: { beep: 3, tone: high }
        """);

    assertThat(rules).containsExactly(
        new AlarmRule("overheat", "boiler-1", "temperature", ComparisonOp.GREATER, 90.0, Duration.ofSeconds(30),
            Duration.ofMinutes(1), new ActuatorCommand("valve-1", "{\"open\":false}")),
        new AlarmRule("low-battery", null, "battery", ComparisonOp.LESS, 3.3, Duration.ZERO, Duration.ZERO,
            new ActuatorCommand("buzzer-1", "{\"beep\":3,\"tone\":\"high\"}")));
    assertThat(rules.get(1).watchesEveryDevice()).isTrue();
  }

  @Test
  void explainsWhatIsWrong() {
    assertThatThrownBy(() -> AlarmRules.parse("- name: a\n  field: t\n  op: \"=>\"\n  threshold: 1\n"))
        .hasMessageContaining("alarms, item 1 (a)").hasMessageContaining("op '=>' is unknown");
    assertThatThrownBy(() -> AlarmRules.parse("- name: a\n  field: t\n  op: \">\"\n"))
        .hasMessageContaining("alarm 'a': 'threshold' is required");
    assertThatThrownBy(() -> AlarmRules.parse("- name: a\n  field: t\n  op: \">\"\n  threshold: 1\n  for: 30\n"))
        .hasMessageContaining("needs a unit");
    assertThatThrownBy(() -> AlarmRules.parse("- name: a\n  field: t\n  op: \">\"\n  threshold: 1\n  hold: 30s\n"))
        .hasMessageContaining("unknown property 'hold'").hasMessageContaining("clear-after");
    assertThatThrownBy(() -> AlarmRules.parse("- name: a\n  field: t\n  op: \">\"\n  threshold: 1\n  action: { device: valve-1 }\n"))
        .hasMessageContaining("'payload' is required");
    assertThatThrownBy(() -> AlarmRules.parse("- name: has space\n  field: t\n  op: \">\"\n  threshold: 1\n"))
        .hasMessageContaining("'name' is 'has space'");
    assertThatThrownBy(() -> AlarmRules.parse("- {name: a, field: t, op: gt, threshold: 1}\n- {name: a, field: u, op: gt, threshold: 2}\n"))
        .hasMessageContaining("'a' is used twice");
  }
}
