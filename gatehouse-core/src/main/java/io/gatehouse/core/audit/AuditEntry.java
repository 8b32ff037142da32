package io.gatehouse.core.audit;

/** An event at its place in the log: sequence number and the chain value that seals it. */
public record AuditEntry(long sequence, AuditEvent event, String previousHash, String hash) {}
