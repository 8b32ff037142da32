package io.gatehouse.edge.local.modbus;

import com.digitalpetri.modbus.pdu.ModbusRequestPdu;
import com.digitalpetri.modbus.pdu.ReadCoilsRequest;
import com.digitalpetri.modbus.pdu.ReadDiscreteInputsRequest;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadInputRegistersRequest;
import java.util.List;

/** One read request: {@code quantity} consecutive addresses of one table, covering {@code registers}. */
record ReadBlock(RegisterKind kind, int address, int quantity, List<RegisterSpec> registers) {
  ReadBlock {
    registers = List.copyOf(registers);
  }

  ModbusRequestPdu request() {
    return switch (kind) {
      case HOLDING -> new ReadHoldingRegistersRequest(address, quantity);
      case INPUT -> new ReadInputRegistersRequest(address, quantity);
      case COIL -> new ReadCoilsRequest(address, quantity);
      case DISCRETE -> new ReadDiscreteInputsRequest(address, quantity);
    };
  }

  /** e.g. {@code holding 0-7}, for messages. */
  String describe() {
    return kind + " " + address + (quantity == 1 ? "" : "-" + (address + quantity - 1));
  }
}
