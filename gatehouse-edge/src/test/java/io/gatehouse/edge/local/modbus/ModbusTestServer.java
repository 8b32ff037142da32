package io.gatehouse.edge.local.modbus;

import com.digitalpetri.modbus.ExceptionCode;
import com.digitalpetri.modbus.FunctionCode;
import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import com.digitalpetri.modbus.exceptions.UnknownUnitIdException;
import com.digitalpetri.modbus.pdu.ReadCoilsRequest;
import com.digitalpetri.modbus.pdu.ReadCoilsResponse;
import com.digitalpetri.modbus.pdu.ReadDiscreteInputsRequest;
import com.digitalpetri.modbus.pdu.ReadDiscreteInputsResponse;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersResponse;
import com.digitalpetri.modbus.pdu.ReadInputRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadInputRegistersResponse;
import com.digitalpetri.modbus.pdu.WriteMultipleCoilsRequest;
import com.digitalpetri.modbus.pdu.WriteMultipleCoilsResponse;
import com.digitalpetri.modbus.pdu.WriteMultipleRegistersRequest;
import com.digitalpetri.modbus.pdu.WriteMultipleRegistersResponse;
import com.digitalpetri.modbus.pdu.WriteSingleCoilRequest;
import com.digitalpetri.modbus.pdu.WriteSingleCoilResponse;
import com.digitalpetri.modbus.pdu.WriteSingleRegisterRequest;
import com.digitalpetri.modbus.pdu.WriteSingleRegisterResponse;
import com.digitalpetri.modbus.server.ModbusRequestContext;
import com.digitalpetri.modbus.server.ModbusServices;
import com.digitalpetri.modbus.server.ModbusTcpServer;
import com.digitalpetri.modbus.server.ProcessImage;
import com.digitalpetri.modbus.server.ReadWriteModbusServices;
import com.digitalpetri.modbus.tcp.server.NettyTcpServerTransport;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real Modbus TCP server (the library's server side) on loopback with an ephemeral port, serving
 * a register bank the test controls. Addresses from {@link #BANK_SIZE} on answer ILLEGAL DATA
 * ADDRESS, as real devices do for unmapped registers; write-protected addresses refuse writes the same way.
 * It can be stopped and started again on the same port.
 */
public final class ModbusTestServer {
  static final int UNIT_ID = 1;
  static final int BANK_SIZE = 1000;

  private final ProcessImage image = new ProcessImage();
  private final Set<Integer> writeProtected = ConcurrentHashMap.newKeySet();
  private volatile ExceptionCode readFailure;
  /** Every read request served, as "FC3 0+8" (function, address, quantity). */
  final List<String> reads = new CopyOnWriteArrayList<>();
  private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private volatile int port;
  private ModbusTcpServer server;

  public static ModbusTestServer started() throws Exception {
    ModbusTestServer server = new ModbusTestServer();
    server.start();
    return server;
  }

  public int port() {
    return port;
  }

  synchronized void start() throws Exception {
    CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
    NettyTcpServerTransport transport = NettyTcpServerTransport.create(settings -> settings
        .setBindAddress("127.0.0.1")
        .setPort(port)
        .setEventLoopGroup(loops)
        .setExecutor(executor)
        .setBootstrapCustomizer(bootstrap -> bootstrap.handler(new ChannelInboundHandlerAdapter() {
          @Override
          public void channelActive(ChannelHandlerContext ctx) throws Exception {
            bound.complete((InetSocketAddress) ctx.channel().localAddress());
            super.channelActive(ctx);
          }
        })));
    server = ModbusTcpServer.create(transport, new Bank());
    server.start();
    port = bound.get(5, TimeUnit.SECONDS).getPort();
  }

  /** Closes the listening socket and every client connection. */
  synchronized void stop() throws Exception {
    server.stop();
  }

  public void close() throws Exception {
    stop();
    loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    executor.shutdownNow();
  }

  public void setHolding(int address, int... words) {
    image.with(tx -> tx.writeHoldingRegisters(map -> put(map, address, words)));
  }

  void setInput(int address, int... words) {
    image.with(tx -> tx.writeInputRegisters(map -> put(map, address, words)));
  }

  public void setCoil(int address, boolean on) {
    image.with(tx -> tx.writeCoils(map -> map.put(address, on)));
  }

  void setDiscrete(int address, boolean on) {
    image.with(tx -> tx.writeDiscreteInputs(map -> map.put(address, on)));
  }

  public int holding(int address) {
    byte[] word = image.get(tx -> tx.readHoldingRegisters(map -> map.getOrDefault(address, new byte[2])));
    return ((word[0] & 0xFF) << 8) | (word[1] & 0xFF);
  }

  public boolean coil(int address) {
    return image.get(tx -> tx.readCoils(map -> map.getOrDefault(address, false)));
  }

  /** From now on every read is answered with {@code code}, while connections stay open; null to answer again. */
  void failReadsWith(ExceptionCode code) {
    readFailure = code;
  }

  void protectFromWrites(int address) {
    writeProtected.add(address);
  }

  static int[] float32(float value) {
    int bits = Float.floatToIntBits(value);
    return new int[] {bits >>> 16, bits & 0xFFFF};
  }

  static int[] int32(long value) {
    return new int[] {(int) ((value >>> 16) & 0xFFFF), (int) (value & 0xFFFF)};
  }

  static int[] swapped(int[] words) {
    return new int[] {words[1], words[0]};
  }

  private static void put(Map<Integer, byte[]> map, int address, int[] words) {
    for (int i = 0; i < words.length; i++) {
      map.put(address + i, new byte[] {(byte) (words[i] >>> 8), (byte) words[i]});
    }
  }

  /** The library's read/write bank behind address checks, as a device with {@link #BANK_SIZE} addresses per table. */
  private final class Bank implements ModbusServices {
    private final ReadWriteModbusServices bank = new ReadWriteModbusServices() {
      @Override
      protected Optional<ProcessImage> getProcessImage(int unitId) {
        return unitId == UNIT_ID ? Optional.of(image) : Optional.empty();
      }
    };

    @Override
    public ReadHoldingRegistersResponse readHoldingRegisters(ModbusRequestContext context, int unitId,
        ReadHoldingRegistersRequest request) throws ModbusResponseException, UnknownUnitIdException {
      checkRead(FunctionCode.READ_HOLDING_REGISTERS, request.address(), request.quantity());
      return bank.readHoldingRegisters(context, unitId, request);
    }

    @Override
    public ReadInputRegistersResponse readInputRegisters(ModbusRequestContext context, int unitId,
        ReadInputRegistersRequest request) throws ModbusResponseException, UnknownUnitIdException {
      checkRead(FunctionCode.READ_INPUT_REGISTERS, request.address(), request.quantity());
      return bank.readInputRegisters(context, unitId, request);
    }

    @Override
    public ReadCoilsResponse readCoils(ModbusRequestContext context, int unitId, ReadCoilsRequest request)
        throws ModbusResponseException, UnknownUnitIdException {
      checkRead(FunctionCode.READ_COILS, request.address(), request.quantity());
      return bank.readCoils(context, unitId, request);
    }

    @Override
    public ReadDiscreteInputsResponse readDiscreteInputs(ModbusRequestContext context, int unitId,
        ReadDiscreteInputsRequest request) throws ModbusResponseException, UnknownUnitIdException {
      checkRead(FunctionCode.READ_DISCRETE_INPUTS, request.address(), request.quantity());
      return bank.readDiscreteInputs(context, unitId, request);
    }

    @Override
    public WriteSingleRegisterResponse writeSingleRegister(ModbusRequestContext context, int unitId,
        WriteSingleRegisterRequest request) throws ModbusResponseException, UnknownUnitIdException {
      checkWrite(FunctionCode.WRITE_SINGLE_REGISTER, request.address(), 1);
      return bank.writeSingleRegister(context, unitId, request);
    }

    @Override
    public WriteMultipleRegistersResponse writeMultipleRegisters(ModbusRequestContext context, int unitId,
        WriteMultipleRegistersRequest request) throws ModbusResponseException, UnknownUnitIdException {
      checkWrite(FunctionCode.WRITE_MULTIPLE_REGISTERS, request.address(), request.quantity());
      return bank.writeMultipleRegisters(context, unitId, request);
    }

    @Override
    public WriteSingleCoilResponse writeSingleCoil(ModbusRequestContext context, int unitId,
        WriteSingleCoilRequest request) throws ModbusResponseException, UnknownUnitIdException {
      checkWrite(FunctionCode.WRITE_SINGLE_COIL, request.address(), 1);
      return bank.writeSingleCoil(context, unitId, request);
    }

    @Override
    public WriteMultipleCoilsResponse writeMultipleCoils(ModbusRequestContext context, int unitId,
        WriteMultipleCoilsRequest request) throws ModbusResponseException, UnknownUnitIdException {
      checkWrite(FunctionCode.WRITE_MULTIPLE_COILS, request.address(), request.quantity());
      return bank.writeMultipleCoils(context, unitId, request);
    }

    private void checkRead(FunctionCode function, int address, int quantity) throws ModbusResponseException {
      reads.add("FC" + function.getCode() + " " + address + "+" + quantity);
      ExceptionCode failure = readFailure;
      if (failure != null) {
        throw new ModbusResponseException(function, failure);
      }
      if (address + quantity > BANK_SIZE) {
        throw new ModbusResponseException(function, ExceptionCode.ILLEGAL_DATA_ADDRESS);
      }
    }

    private void checkWrite(FunctionCode function, int address, int quantity) throws ModbusResponseException {
      for (int a = address; a < address + quantity; a++) {
        if (a >= BANK_SIZE || writeProtected.contains(a)) {
          throw new ModbusResponseException(function, ExceptionCode.ILLEGAL_DATA_ADDRESS);
        }
      }
    }
  }
}
