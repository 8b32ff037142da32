package io.gatehouse.edge.local.modbus;

import com.digitalpetri.modbus.client.ModbusTcpClient;
import com.digitalpetri.modbus.pdu.ModbusRequestPdu;
import com.digitalpetri.modbus.pdu.ModbusResponsePdu;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Sends a device one request at a time, polls and commands alike: many legacy devices and
 * serial-to-TCP gateways handle a single outstanding request and drop the rest. Each request has
 * the device's timeout; a request that times out closes the connection, because a device that
 * answers late answers every later request late too (serial gateways queue them), and the next
 * attempt is better served by a fresh connection than by stale answers. Callers bound how many
 * requests they queue. Used on the device's event loop.
 */
final class RequestQueue {
  private final ModbusTcpClient client;
  private final int unitId;
  private final Runnable dropConnection;
  private CompletableFuture<?> last = CompletableFuture.completedFuture(null);

  RequestQueue(ModbusTcpClient client, int unitId, Runnable dropConnection) {
    this.client = client;
    this.unitId = unitId;
    this.dropConnection = dropConnection;
  }

  CompletableFuture<ModbusResponsePdu> send(ModbusRequestPdu request) {
    CompletableFuture<ModbusResponsePdu> response = last.handle((ignored, failure) -> null)
        .thenCompose(ignored -> client.sendAsync(unitId, request).toCompletableFuture())
        .whenComplete((answer, failure) -> {
          if (failure != null && ModbusFailures.unwrap(failure) instanceof TimeoutException) {
            dropConnection.run();
          }
        });
    last = response;
    return response;
  }
}
