package io.gatehouse.edge.buffer;

/**
 * A message turned into record-body bytes on the caller's thread, so the writer thread only adds
 * the sequence and checksum.
 */
record EncodedMessage(byte[] body, long createdAtMillis) {
  int frameLength() {
    return RecordCodec.FRAME_HEADER_BYTES + body.length;
  }
}
