package io.gatehouse.core.message;

import java.time.Instant;

/** The outcome of one cloud-to-device message, for its sender. */
public record Feedback(long sequence, String sender, String deviceId, String originalMessageId,
    long originalSequence, Instant enqueuedAt, FeedbackStatus status, String description) {}
