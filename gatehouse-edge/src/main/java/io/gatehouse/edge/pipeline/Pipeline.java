package io.gatehouse.edge.pipeline;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The ordered stages a reading passes on its way to the uplink. What a stage emits, from a reading or
 * from its tick, continues through the stages after it. Not thread-safe: drive it from one thread.
 */
public final class Pipeline {
  private final List<Stage> stages;

  public Pipeline(List<Stage> stages) {
    this.stages = List.copyOf(stages);
  }

  /** Builds the stages of a config without pseudonyms; a privacy stage asking for them is refused. */
  public static Pipeline from(List<StageSpec> specs, InstantSource clock) {
    return build(specs, clock, null);
  }

  /** Builds the stages of a config; {@code pseudonymKey} serves privacy stages with {@code pseudonymize: true}. */
  public static Pipeline from(List<StageSpec> specs, InstantSource clock, PseudonymKey pseudonymKey) {
    return build(specs, clock, Objects.requireNonNull(pseudonymKey, "pseudonymKey"));
  }

  private static Pipeline build(List<StageSpec> specs, InstantSource clock, PseudonymKey pseudonymKey) {
    Objects.requireNonNull(clock, "clock");
    List<Stage> stages = new ArrayList<>(specs.size());
    for (StageSpec spec : specs) {
      stages.add(switch (spec) {
        case FilterSpec filter -> new FilterStage(filter);
        case TransformSpec transform -> new TransformStage(transform);
        case DeadbandSpec deadband -> new DeadbandStage(deadband);
        case WindowSpec window -> new WindowStage(window);
        case BatchSpec batch -> new BatchStage(batch, clock);
        case PrivacySpec privacy -> pseudonymKey == null
            ? PrivacyStage.withoutPseudonyms(privacy)
            : PrivacyStage.withPseudonyms(privacy, pseudonymKey);
      });
    }
    return new Pipeline(stages);
  }

  public List<Stage> stages() {
    return stages;
  }

  public List<Upstream> accept(Reading reading) {
    List<Upstream> items = List.of(new Upstream.Single(reading));
    for (Stage stage : stages) {
      items = through(stage, items);
      if (items.isEmpty()) {
        return items;
      }
    }
    return items;
  }

  /** Lets every stage emit what is due by {@code now}; what an earlier stage releases passes the later ones in the same tick. */
  public List<Upstream> tick(Instant now) {
    return sweep(stage -> stage.tick(now));
  }

  /** Empties every stage, in order, for shutdown. */
  public List<Upstream> flush() {
    return sweep(Stage::flush);
  }

  private List<Upstream> sweep(Function<Stage, List<Upstream>> release) {
    List<Upstream> items = List.of();
    for (Stage stage : stages) {
      // Accept first, release second: what just arrived may already be due (a window long over),
      // and at shutdown nothing may stay behind in a stage.
      items = concat(through(stage, items), release.apply(stage));
    }
    return items;
  }

  private static List<Upstream> through(Stage stage, List<Upstream> items) {
    if (items.size() == 1) {
      return stage.accept(items.getFirst());
    }
    List<Upstream> out = new ArrayList<>();
    for (Upstream item : items) {
      out.addAll(stage.accept(item));
    }
    return out;
  }

  private static List<Upstream> concat(List<Upstream> first, List<Upstream> second) {
    if (first.isEmpty()) {
      return second;
    }
    if (second.isEmpty()) {
      return first;
    }
    List<Upstream> both = new ArrayList<>(first.size() + second.size());
    both.addAll(first);
    both.addAll(second);
    return both;
  }
}
