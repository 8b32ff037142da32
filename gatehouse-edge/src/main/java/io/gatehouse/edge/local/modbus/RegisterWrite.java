package io.gatehouse.edge.local.modbus;

import com.digitalpetri.modbus.pdu.ModbusRequestPdu;
import com.digitalpetri.modbus.pdu.WriteMultipleRegistersRequest;
import com.digitalpetri.modbus.pdu.WriteSingleCoilRequest;
import com.digitalpetri.modbus.pdu.WriteSingleRegisterRequest;

/** One field of a command, converted to what is written to the device. */
sealed interface RegisterWrite {
  RegisterSpec register();

  /** The request that writes it: FC5 for a coil, FC6 for one register, FC16 for a 32-bit pair. */
  ModbusRequestPdu request();

  record Coil(RegisterSpec register, boolean on) implements RegisterWrite {
    @Override
    public ModbusRequestPdu request() {
      return new WriteSingleCoilRequest(register.address(), on);
    }
  }

  /** @param words in wire order, already arranged for the register's word order */
  record Words(RegisterSpec register, int[] words) implements RegisterWrite {
    public Words {
      words = words.clone();
    }

    @Override
    public ModbusRequestPdu request() {
      if (words.length == 1) {
        return new WriteSingleRegisterRequest(register.address(), words[0]);
      }
      byte[] bytes = new byte[words.length * 2];
      for (int i = 0; i < words.length; i++) {
        bytes[i * 2] = (byte) (words[i] >>> 8);
        bytes[i * 2 + 1] = (byte) words[i];
      }
      return new WriteMultipleRegistersRequest(register.address(), words.length, bytes);
    }
  }
}
