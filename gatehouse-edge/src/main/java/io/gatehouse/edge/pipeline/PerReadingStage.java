package io.gatehouse.edge.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A stage that looks at one reading at a time and keeps or changes it. Inside a batch it applies to
 * every reading, and a batch left empty disappears.
 */
public sealed interface PerReadingStage extends Stage permits FilterStage, TransformStage, DeadbandStage, PrivacyStage {

  /** The reading to pass on, or empty to drop it. */
  Optional<Reading> apply(Reading reading);

  @Override
  default List<Upstream> accept(Upstream item) {
    return switch (item) {
      case Upstream.Single single -> apply(single.reading()).<List<Upstream>>map(kept -> List.of(new Upstream.Single(kept)))
          .orElse(List.of());
      case Upstream.Batch batch -> {
        List<Reading> kept = new ArrayList<>(batch.readings().size());
        for (Reading reading : batch.readings()) {
          apply(reading).ifPresent(kept::add);
        }
        yield kept.isEmpty() ? List.of() : List.of(new Upstream.Batch(kept));
      }
    };
  }
}
