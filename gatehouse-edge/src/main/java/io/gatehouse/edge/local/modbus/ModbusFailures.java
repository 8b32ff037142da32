package io.gatehouse.edge.local.modbus;

import com.digitalpetri.modbus.ExceptionCode;
import com.digitalpetri.modbus.FunctionCode;
import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import java.util.concurrent.CompletionException;

/** What polls and commands share when they explain a failure. */
final class ModbusFailures {
  private ModbusFailures() {}

  /** The failure itself, without the wrappers that future chains add. */
  static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** e.g. {@code 0x02 ILLEGAL_DATA_ADDRESS to function 0x06 WRITE_SINGLE_REGISTER}. */
  static String exceptionName(ModbusResponseException refused) {
    String code = ExceptionCode.from(refused.getExceptionCode()).map(Enum::name).orElse("UNKNOWN");
    String function = FunctionCode.from(refused.getFunctionCode()).map(Enum::name).orElse("UNKNOWN");
    return "0x%02X %s to function 0x%02X %s".formatted(refused.getExceptionCode(), code, refused.getFunctionCode(),
        function);
  }
}
