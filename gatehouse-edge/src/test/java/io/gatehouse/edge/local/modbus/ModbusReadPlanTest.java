package io.gatehouse.edge.local.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which registers share a read request. */
class ModbusReadPlanTest {
  @Test
  void contiguousRegistersOfOneTableShareARequestAndGapsSplitThem() {
    List<ReadBlock> plan = ReadPlan.of(List.of(
        RegisterSpec.of("c", RegisterKind.HOLDING, 3, DataType.FLOAT32),
        RegisterSpec.of("a", RegisterKind.HOLDING, 0, DataType.INT16),
        RegisterSpec.of("b", RegisterKind.HOLDING, 1, DataType.UINT16),
        RegisterSpec.of("d", RegisterKind.HOLDING, 5, DataType.INT16),
        RegisterSpec.of("e", RegisterKind.HOLDING, 7, DataType.INT16),
        RegisterSpec.of("f", RegisterKind.INPUT, 5, DataType.INT16),
        RegisterSpec.of("g", RegisterKind.COIL, 0, DataType.BOOL),
        RegisterSpec.of("h", RegisterKind.COIL, 1, DataType.BOOL)));

    assertThat(plan).extracting(ReadBlock::describe)
        .containsExactly("holding 0-1", "holding 3-5", "holding 7", "input 5", "coil 0-1");
    assertThat(plan.get(1).registers()).extracting(RegisterSpec::field).containsExactly("c", "d");
  }

  @Test
  void aRequestStaysWithinTheProtocolsLimit() {
    List<RegisterSpec> registers = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      registers.add(RegisterSpec.of("r" + i, RegisterKind.INPUT, i * 2, DataType.UINT32));
    }

    List<ReadBlock> plan = ReadPlan.of(registers);

    assertThat(plan).extracting(ReadBlock::describe).containsExactly("input 0-123", "input 124-127");
    assertThat(plan.getFirst().quantity()).isLessThanOrEqualTo(RegisterKind.MAX_REGISTERS_PER_READ);
  }
}
