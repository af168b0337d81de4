#!/usr/bin/python3
"""An MTR-CAN/1 meter on an slcan line, using Debian's python3-can 4.1.0 (independent peer).

Answers SDO-shaped expedited uploads at 0x600+node with 0x580+node responses (docs/agent.md).
Usage: pycan_mtr_meter.py PTY NODE
"""
import struct
import sys
import time

import can

port, node = sys.argv[1], int(sys.argv[2])
now = int(time.time())
end = now - now % 1800
objects = {
    (0x2000, 1): 12345678, (0x2000, 2): 4321,
    (0x2001, 1): 10000000, (0x2001, 2): 2345678,
    (0x2002, 1): now, (0x2004, 1): 0, (0x1018, 4): 99887766, (0x100A, 0): (1 << 16) | (4 << 8) | 2,
    (0x2010, 0): 3,
}
for row in (1, 2, 3):
    objects[(0x2011, row)] = end - (row - 1) * 1800
    objects[(0x2012, row)] = 12345678 - (row - 1) * 1000
    objects[(0x2013, row)] = 4321

bus = can.Bus(interface="slcan", channel=port, sleep_after_open=0.1)
print("ready", flush=True)
while True:
    message = bus.recv(timeout=1.0)
    if message is None or message.arbitration_id != 0x600 + node or len(message.data) != 8 or message.data[0] != 0x40:
        continue
    index = message.data[1] | (message.data[2] << 8)
    sub = message.data[3]
    value = objects.get((index, sub))
    if value is None:
        data = bytes([0x80, message.data[1], message.data[2], sub]) + struct.pack("<I", 0x06020000)
    else:
        data = bytes([0x43, message.data[1], message.data[2], sub]) + struct.pack("<I", value & 0xFFFFFFFF)
    bus.send(can.Message(arbitration_id=0x580 + node, data=data, is_extended_id=False))
