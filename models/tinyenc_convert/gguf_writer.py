"""A small GGUF v3 writer (docs/FORMAT.md): typed key/values, then tensors.

Output depends only on what was added and in which order, so the same inputs
always give the same bytes. The writer checks what llama.cpp's loader would
reject (duplicate keys, long or repeated tensor names, rows that are not a
whole number of blocks, data of the wrong size) when it is added rather than
when a reader trips over it.
"""

import struct

import numpy as np

from .ggml_quants import BLOCK_LAYOUT, TYPE_NAMES, tensor_bytes
from .gguf_types import ValueType

GGUF_MAGIC = b"GGUF"
GGUF_VERSION = 3
DEFAULT_ALIGNMENT = 32
MAX_TENSOR_NAME_BYTES = 63
MAX_DIMS = 4

_SCALAR_FORMATS = {
    ValueType.U8: "<B", ValueType.I8: "<b", ValueType.U16: "<H", ValueType.I16: "<h",
    ValueType.U32: "<I", ValueType.I32: "<i", ValueType.F32: "<f", ValueType.BOOL: "<?",
    ValueType.U64: "<Q", ValueType.I64: "<q", ValueType.F64: "<d",
}


def _string(text):
    data = text.encode("utf-8")
    return struct.pack("<Q", len(data)) + data


def _scalar(value_type, value):
    if value_type == ValueType.STRING:
        return _string(value)
    return struct.pack(_SCALAR_FORMATS[value_type], value)


def _align(offset, alignment):
    return (offset + alignment - 1) // alignment * alignment


class GGUFWriter:
    def __init__(self, alignment=DEFAULT_ALIGNMENT):
        if alignment <= 0 or alignment & (alignment - 1):
            raise ValueError(f"alignment {alignment} is not a power of two")
        self.alignment = alignment
        self._keys = {}  # key -> encoded type + value, in insertion order
        self._tensors = []  # (name, ne, ggml type, bytes)
        if alignment != DEFAULT_ALIGNMENT:
            self.add_u32("general.alignment", alignment)

    # ---- key/values --------------------------------------------------------
    def add_value(self, key, value_type, value):
        if key in self._keys:
            raise ValueError(f"duplicate key {key}")
        self._keys[key] = struct.pack("<i", value_type) + _scalar(value_type, value)

    def add_array(self, key, element_type, values):
        if element_type == ValueType.ARRAY:
            raise ValueError(f"{key}: GGUF has no arrays of arrays")
        if key in self._keys:
            raise ValueError(f"duplicate key {key}")
        values = list(values)
        body = b"".join(_scalar(element_type, v) for v in values)
        self._keys[key] = (struct.pack("<iiQ", ValueType.ARRAY, element_type, len(values)) + body)

    def add_u32(self, key, value):
        self.add_value(key, ValueType.U32, value)

    def add_i32(self, key, value):
        self.add_value(key, ValueType.I32, value)

    def add_f32(self, key, value):
        self.add_value(key, ValueType.F32, value)

    def add_bool(self, key, value):
        self.add_value(key, ValueType.BOOL, bool(value))

    def add_string(self, key, value):
        self.add_value(key, ValueType.STRING, value)

    # ---- tensors -------------------------------------------------------------
    def add_tensor(self, name, ne, ggml_type, data):
        """ne[0] is the row length (numpy's shape reversed); data is the raw bytes."""
        ne = [int(n) for n in ne]
        if len(name.encode("utf-8")) > MAX_TENSOR_NAME_BYTES:
            raise ValueError(f"tensor name {name} is longer than {MAX_TENSOR_NAME_BYTES} bytes")
        if any(name == t[0] for t in self._tensors):
            raise ValueError(f"duplicate tensor {name}")
        if not 1 <= len(ne) <= MAX_DIMS or min(ne) < 1:
            raise ValueError(f"{name}: bad dims {ne}")
        if ggml_type not in BLOCK_LAYOUT:
            raise ValueError(f"{name}: unsupported ggml type {ggml_type}")
        block_values = BLOCK_LAYOUT[ggml_type][0]
        if ne[0] % block_values:
            raise ValueError(f"{name}: ne[0] = {ne[0]} is not a multiple of "
                             f"{TYPE_NAMES[ggml_type]}'s {block_values}-value block")
        data = bytes(memoryview(np.ascontiguousarray(data)).cast("B"))
        expected = tensor_bytes(ggml_type, int(np.prod(ne)))
        if len(data) != expected:
            raise ValueError(f"{name}: {len(data)} data bytes, {expected} expected")
        self._tensors.append((name, ne, ggml_type, data))

    # ---- output --------------------------------------------------------------
    def to_bytes(self):
        out = bytearray(GGUF_MAGIC)
        out += struct.pack("<IQQ", GGUF_VERSION, len(self._tensors), len(self._keys))
        for key, encoded in self._keys.items():
            out += _string(key) + encoded
        offset = 0
        for name, ne, ggml_type, data in self._tensors:
            out += _string(name) + struct.pack("<I", len(ne))
            out += struct.pack(f"<{len(ne)}q", *ne) + struct.pack("<iQ", ggml_type, offset)
            offset = _align(offset + len(data), self.alignment)
        # Padding after the last tensor too: ggml's own loader, when it reads
        # the data section into memory, reads every tensor's padded size.
        out += bytes(_align(len(out), self.alignment) - len(out))
        for _, _, _, data in self._tensors:
            out += data
            out += bytes(_align(len(out), self.alignment) - len(out))
        return bytes(out)

    def write(self, path):
        with open(path, "wb") as f:
            f.write(self.to_bytes())
