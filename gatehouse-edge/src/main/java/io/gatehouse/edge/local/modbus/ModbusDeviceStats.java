package io.gatehouse.edge.local.modbus;

/**
 * Counters of one polled device since the poller started, for posture reports.
 *
 * @param answering whether the device answers now (the leaf counts as connected)
 * @param polls polls attempted (connecting and reading), successful or not
 * @param failures polls that failed: no connection, a timeout, a Modbus exception or a malformed answer
 * @param skipped poll times passed over because the previous reading was not yet taken by the sink or
 *     the previous poll was still running; nothing is queued for them
 */
public record ModbusDeviceStats(String leafId, boolean answering, long polls, long failures, long skipped) {}
