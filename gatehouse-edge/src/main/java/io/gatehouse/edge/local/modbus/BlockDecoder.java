package io.gatehouse.edge.local.modbus;

import com.digitalpetri.modbus.pdu.ModbusResponsePdu;
import com.digitalpetri.modbus.pdu.ReadCoilsResponse;
import com.digitalpetri.modbus.pdu.ReadDiscreteInputsResponse;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersResponse;
import com.digitalpetri.modbus.pdu.ReadInputRegistersResponse;
import java.util.Map;

/** Picks each register's value out of the response to its block's read request. */
final class BlockDecoder {
  private BlockDecoder() {}

  /**
   * Puts the value of every register of {@code block} into {@code fields}; a float32 holding NaN or
   * infinity is left out.
   *
   * @throws MalformedResponseException if the response is of another kind or shorter than requested
   */
  static void decodeInto(ReadBlock block, ModbusResponsePdu response, Map<String, Object> fields) {
    byte[] data = switch (response) {
      case ReadHoldingRegistersResponse r when block.kind() == RegisterKind.HOLDING -> r.registers();
      case ReadInputRegistersResponse r when block.kind() == RegisterKind.INPUT -> r.registers();
      case ReadCoilsResponse r when block.kind() == RegisterKind.COIL -> r.coils();
      case ReadDiscreteInputsResponse r when block.kind() == RegisterKind.DISCRETE -> r.inputs();
      default -> throw new MalformedResponseException("reading " + block.describe() + " was answered with "
          + response.getClass().getSimpleName());
    };
    int needed = block.kind().holdsBits() ? (block.quantity() + 7) / 8 : block.quantity() * 2;
    if (data.length < needed) {
      throw new MalformedResponseException("reading " + block.describe() + " returned " + data.length
          + " bytes; " + needed + " were expected");
    }
    for (RegisterSpec register : block.registers()) {
      int index = register.address() - block.address();
      if (block.kind().holdsBits()) {
        fields.put(register.field(), (data[index / 8] & (1 << (index % 8))) != 0);
      } else {
        int second = register.type().isThirtyTwoBit() ? word(data, index + 1) : 0;
        RegisterCodec.decode(register, word(data, index), second).ifPresent(value -> fields.put(register.field(), value));
      }
    }
  }

  private static int word(byte[] data, int index) {
    return ((data[index * 2] & 0xFF) << 8) | (data[index * 2 + 1] & 0xFF);
  }

  /** The device answered, but not with what was asked for. */
  static final class MalformedResponseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedResponseException(String message) {
      super(message);
    }
  }
}
