package io.gatehouse.edge.buffer;

/** A record the writer has forced to disk, ready to be indexed. */
record WrittenRecord(SegmentFile file, long sequence, long offset, int length, long createdAtMillis) {}
