package io.gatehouse.edge.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Reads the {@code pipeline:} section of the edge config; see {@link StageSpec} for the stage types. */
public final class PipelineSpecs {
  public static final String ROOT_KEY = "pipeline";

  private PipelineSpecs() {}

  /**
   * Parses YAML that is either the list of stages or a mapping {@code pipeline: [...]}. Throws
   * {@link IllegalArgumentException} naming the stage and property at fault.
   */
  public static List<StageSpec> parse(String yaml) {
    return ConfigYaml.readList(yaml, ROOT_KEY, StageSpec.class);
  }

  /** Binds the {@code pipeline} node of a config file already parsed (see {@link ConfigYaml#strictMapper()}). */
  public static List<StageSpec> fromTree(JsonNode pipeline) {
    return ConfigYaml.readList(pipeline, ROOT_KEY, StageSpec.class);
  }
}
