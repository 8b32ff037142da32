package io.gatehouse.edge.local.modbus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Groups a device's registers into as few read requests as is safe: registers of one table whose
 * addresses follow each other without a gap share a request, up to the protocol's limit per request.
 * Gaps are never bridged, because many devices answer a read that touches an unmapped address with
 * ILLEGAL DATA ADDRESS, which would fail every field of the request.
 */
final class ReadPlan {
  private ReadPlan() {}

  static List<ReadBlock> of(List<RegisterSpec> registers) {
    List<RegisterSpec> sorted = new ArrayList<>(registers);
    sorted.sort(Comparator.comparing(RegisterSpec::kind).thenComparing(RegisterSpec::address));
    List<ReadBlock> blocks = new ArrayList<>();
    List<RegisterSpec> members = new ArrayList<>();
    for (RegisterSpec register : sorted) {
      if (!members.isEmpty() && !continuesBlock(members, register)) {
        blocks.add(block(members));
        members.clear();
      }
      members.add(register);
    }
    if (!members.isEmpty()) {
      blocks.add(block(members));
    }
    return List.copyOf(blocks);
  }

  private static boolean continuesBlock(List<RegisterSpec> members, RegisterSpec next) {
    RegisterSpec first = members.getFirst();
    RegisterSpec last = members.getLast();
    return next.kind() == first.kind() && next.address() == last.endAddress()
        && next.endAddress() - first.address() <= first.kind().maxPerRead();
  }

  private static ReadBlock block(List<RegisterSpec> members) {
    RegisterSpec first = members.getFirst();
    return new ReadBlock(first.kind(), first.address(), members.getLast().endAddress() - first.address(), members);
  }
}
