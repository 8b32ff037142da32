package io.gatehouse.edge.pipeline;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One stage of the {@code pipeline:} list in the edge config, chosen by its {@code type} property:
 * {@code filter}, {@code transform}, {@code deadband}, {@code window}, {@code batch}, {@code privacy}.
 * Each record documents its properties (kebab-case) and checks them when built, so a bad config
 * fails at load time with a message naming the property. Unknown properties must be refused by the
 * reading mapper ({@code FAIL_ON_UNKNOWN_PROPERTIES}, as {@link PipelineSpecs#parse} does).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = FilterSpec.class, name = "filter"),
    @JsonSubTypes.Type(value = TransformSpec.class, name = "transform"),
    @JsonSubTypes.Type(value = DeadbandSpec.class, name = "deadband"),
    @JsonSubTypes.Type(value = WindowSpec.class, name = "window"),
    @JsonSubTypes.Type(value = BatchSpec.class, name = "batch"),
    @JsonSubTypes.Type(value = PrivacySpec.class, name = "privacy"),
})
public sealed interface StageSpec permits FilterSpec, TransformSpec, DeadbandSpec, WindowSpec, BatchSpec, PrivacySpec {}
