package io.gatehouse.edge.local.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Register contents to values and back: types, word order, decimal scaling, ranges and rounding. */
class ModbusRegisterCodecTest {
  @Test
  void decodesEachTypeInBothWordOrders() {
    assertThat(decode(register(DataType.INT16, 1, 0, false), 0xFFFF, 0)).isEqualTo(-1.0);
    assertThat(decode(register(DataType.UINT16, 1, 0, false), 0xFFFF, 0)).isEqualTo(65_535.0);
    assertThat(decode(register(DataType.INT32, 1, 0, false), 0xFFFE, 0x7960)).isEqualTo(-100_000.0);
    assertThat(decode(register(DataType.INT32, 1, 0, true), 0x7960, 0xFFFE)).isEqualTo(-100_000.0);
    assertThat(decode(register(DataType.UINT32, 1, 0, false), 0xFFFF, 0xFFFF)).isEqualTo(4_294_967_295.0);
    assertThat(decode(register(DataType.FLOAT32, 1, 0, false), 0x4048, 0xF5C3)).isEqualTo(3.14);
    assertThat(decode(register(DataType.FLOAT32, 1, 0, true), 0xF5C3, 0x4048)).isEqualTo(3.14);
  }

  @Test
  void scalesInDecimalSoReadingsShowWhatThePanelShows() {
    assertThat(decode(register(DataType.UINT16, 0.1, 0, false), 3, 0)).isEqualTo(0.3);
    assertThat(decode(register(DataType.INT16, 0.01, -40, false), 6543, 0)).isEqualTo(25.43);
  }

  @Test
  void aFloatHoldingNaNIsLeftOut() {
    int nan = Float.floatToIntBits(Float.NaN);
    assertThat(RegisterCodec.decode(register(DataType.FLOAT32, 1, 0, false), nan >>> 16, nan & 0xFFFF)).isEmpty();
  }

  @Test
  void encodesTheInverseOfScaleAndOffsetRoundedToTheNearestStep() {
    assertThat(RegisterCodec.encode(register(DataType.UINT16, 0.1, 0, false), 21.5)).containsExactly(215);
    assertThat(RegisterCodec.encode(register(DataType.UINT16, 0.1, 0, false), 21.54)).containsExactly(215);
    assertThat(RegisterCodec.encode(register(DataType.INT16, 0.5, -10, false), 40)).containsExactly(100);
    assertThat(RegisterCodec.encode(register(DataType.INT16, 1, 0, false), -1)).containsExactly(0xFFFF);
    assertThat(RegisterCodec.encode(register(DataType.INT32, 1, 0, false), -100_000)).containsExactly(0xFFFE, 0x7960);
    assertThat(RegisterCodec.encode(register(DataType.INT32, 1, 0, true), -100_000)).containsExactly(0x7960, 0xFFFE);
    assertThat(RegisterCodec.encode(register(DataType.UINT32, 1, 0, false), 4_294_967_295.0)).containsExactly(0xFFFF, 0xFFFF);
    assertThat(RegisterCodec.encode(register(DataType.FLOAT32, 1, 0, false), 3.14)).containsExactly(0x4048, 0xF5C3);
  }

  @Test
  void refusesValuesOutsideTheTypeSayingWhichValuesFit() {
    assertThatThrownBy(() -> RegisterCodec.encode(register(DataType.INT16, 0.1, 0, false), 3276.8))
        .hasMessage("field 'x': 3276.8 is out of range for holding register 0 (int16 holds -32768 to 32767; with scale "
            + "0.1 and offset 0 the value must be between -3276.8 and 3276.7)");
    assertThatThrownBy(() -> RegisterCodec.encode(register(DataType.UINT32, -1, 0, false), 1))
        .hasMessageContaining("the value must be between -4294967295 and 0");
    assertThatThrownBy(() -> RegisterCodec.encode(register(DataType.FLOAT32, 1, 0, false), 1e39))
        .hasMessageContaining("float32 holds at most ±3.4028235E38");
  }

  private static RegisterSpec register(DataType type, double scale, double offset, boolean littleEndianWords) {
    return new RegisterSpec("x", RegisterKind.HOLDING, 0, type, scale, offset, true,
        type.isThirtyTwoBit() ? littleEndianWords : null);
  }

  private static double decode(RegisterSpec register, int first, int second) {
    return RegisterCodec.decode(register, first, second).orElseThrow();
  }
}
