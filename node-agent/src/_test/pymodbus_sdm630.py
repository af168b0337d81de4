#!/usr/bin/python3
"""An SDM630 (Modbus V2) register map served by Debian's python3-pymodbus 3.0.0 as an RTU slave.

Independent of the agent's code: the agent's Modbus codec is tested against this peer.
Usage: pymodbus_sdm630.py PTY [SLAVE_ID]
"""
import sys

from pymodbus.constants import Endian
from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.payload import BinaryPayloadBuilder
from pymodbus.server import StartSerialServer
from pymodbus.transaction import ModbusRtuFramer

port = sys.argv[1]
slave = int(sys.argv[2]) if len(sys.argv) > 2 else 1

# protocol address -> float32 value (SDM630 Modbus V2 map, reference section 1.4)
values = {
    0x0000: 230.1, 0x0002: 231.2, 0x0004: 229.8,   # voltages L1..L3
    0x0006: 5.5, 0x0008: 4.25, 0x000A: 3.0,        # currents
    0x000C: 1265.5, 0x000E: 982.0, 0x0010: 689.5,  # powers
    0x0034: 2937.0,                                # total system power
    0x0046: 50.0,                                  # frequency
    0x0048: 1234.5,                                # total import kWh
    0x004A: 12.25,                                 # total export kWh
    0x0156: 1246.75,                               # total kWh
}
ir = [0] * 0x200
for address, value in values.items():
    builder = BinaryPayloadBuilder(byteorder=Endian.Big, wordorder=Endian.Big)
    builder.add_32bit_float(value)
    ir[address:address + 2] = builder.to_registers()

store = ModbusSlaveContext(ir=ModbusSequentialDataBlock(0, ir), hr=ModbusSequentialDataBlock(0, [1234, 48879] + [0] * 16), zero_mode=True)
context = ModbusServerContext(slaves={slave: store}, single=False)
print("ready", flush=True)
StartSerialServer(context=context, framer=ModbusRtuFramer, port=port, baudrate=9600, bytesize=8, parity="N", stopbits=1, timeout=0.05)
