"""A TensorFlow Lite flatbuffer (.tflite) as plain Python objects: operators
with their builtin names, tensors with their names, shapes and constant data.

Read with Debian's python3-flatbuffers through its low-level Table API and
hand-written field numbers (TFLite's schema.fbs; Debian's flatc cannot
compile the current schema). Only what a graph walk needs is read: one
subgraph's tensors and operators, the buffers, the operator codes and each
operator's fused activation. Every offset is checked by the flatbuffers
package against the byte string (it raises on one past the end), and the
structure is checked here, so a damaged file raises ValueError.
"""

import dataclasses

import numpy as np

# The flatbuffers package is imported lazily so that the rest of
# tinyenc_convert (and its tests) runs where it is not installed.

# schema.fbs BuiltinOperator values of the operators this reader names; any
# other is reported by number.
BUILTIN_NAMES = {
    0: "ADD", 2: "CONCATENATION", 9: "FULLY_CONNECTED", 18: "MUL", 22: "RESHAPE",
    25: "SOFTMAX", 28: "TANH", 36: "GATHER", 39: "TRANSPOSE", 40: "MEAN", 41: "SUB",
    45: "STRIDED_SLICE", 55: "MAXIMUM", 73: "LOG", 75: "SQRT", 76: "RSQRT", 78: "POW",
    99: "SQUARED_DIFFERENCE",
}
# schema.fbs TensorType values -> numpy little-endian types.
TENSOR_TYPES = {0: "<f4", 2: "<i4", 4: "<i8", 9: "i1", 3: "u1", 6: "?"}
# Builtin options whose first field is the fused activation function
# (AddOptions, MulOptions, SubOptions, FullyConnectedOptions).
FUSED_ACTIVATION_FIRST = {"ADD", "MUL", "SUB", "FULLY_CONNECTED"}

# Field slots (schema.fbs order) of the tables read.
MODEL_OPERATOR_CODES, MODEL_SUBGRAPHS, MODEL_BUFFERS = 1, 2, 4
CODE_DEPRECATED_BUILTIN, CODE_BUILTIN = 0, 3
SUBGRAPH_TENSORS, SUBGRAPH_INPUTS, SUBGRAPH_OUTPUTS, SUBGRAPH_OPERATORS = 0, 1, 2, 3
TENSOR_SHAPE, TENSOR_TYPE, TENSOR_BUFFER, TENSOR_NAME = 0, 1, 2, 3
OPERATOR_OPCODE, OPERATOR_INPUTS, OPERATOR_OUTPUTS, OPERATOR_OPTIONS = 0, 1, 2, 4
BUFFER_DATA, BUFFER_OFFSET = 0, 1


@dataclasses.dataclass
class Tensor:
    index: int
    name: str
    shape: tuple
    type: int
    data: np.ndarray  # None for a tensor the graph computes


@dataclasses.dataclass
class Operator:
    index: int
    name: str  # BUILTIN_NAMES' name, or "BUILTIN_<n>"
    inputs: list  # tensor indices; -1 for an absent optional input
    outputs: list
    fused_activation: int  # 0 NONE, or the operator has no such option
    beta: float = 1.0  # SOFTMAX's


@dataclasses.dataclass
class Graph:
    tensors: list
    operators: list
    inputs: list
    outputs: list


class _Reader:
    def __init__(self, data):
        import flatbuffers  # pylint: disable=import-outside-toplevel
        from flatbuffers.table import Table  # pylint: disable=import-outside-toplevel
        self._fb = flatbuffers
        self._table = Table
        self.data = data

    def root(self):
        if len(self.data) < 8 or self.data[4:8] != b"TFL3":
            raise ValueError("not a TFLite file (no TFL3 identifier)")
        return self._table(self.data, self._fb.encode.Get(self._fb.packer.uoffset, self.data, 0))

    def _offset(self, table, slot):
        return table.Offset(4 + 2 * slot)

    def tables(self, table, slot):
        o = self._offset(table, slot)
        if not o:
            return []
        start = table.Vector(o)
        return [self._table(table.Bytes, table.Indirect(start + 4 * i))
                for i in range(table.VectorLen(o))]

    def table(self, table, slot):
        o = self._offset(table, slot)
        return self._table(table.Bytes, table.Indirect(table.Pos + o)) if o else None

    def ints(self, table, slot, dtype="<i4"):
        o = self._offset(table, slot)
        if not o:
            return []
        count, start = table.VectorLen(o), table.Vector(o)
        if start + count * np.dtype(dtype).itemsize > len(self.data):
            raise ValueError("a vector runs past the end of the file")
        return [int(v) for v in np.frombuffer(self.data, dtype, count, start)]

    def bytes(self, table, slot):
        o = self._offset(table, slot)
        if not o:
            return b""
        count, start = table.VectorLen(o), table.Vector(o)
        if start + count > len(self.data):
            raise ValueError("a buffer runs past the end of the file")
        return self.data[start:start + count]

    def scalar(self, table, slot, flags, default=0):
        o = self._offset(table, slot)
        return table.Get(flags, table.Pos + o) if o else default

    def string(self, table, slot):
        o = self._offset(table, slot)
        return table.String(table.Pos + o).decode("utf-8") if o else ""


def _operator_names(reader, model):
    names = []
    number = reader._fb.number_types
    for code in reader.tables(model, MODEL_OPERATOR_CODES):
        # Codes past 127 live only in builtin_code; older files only in the
        # deprecated byte; the larger of the two is the operator.
        builtin = max(reader.scalar(code, CODE_DEPRECATED_BUILTIN, number.Int8Flags),
                      reader.scalar(code, CODE_BUILTIN, number.Int32Flags))
        names.append(BUILTIN_NAMES.get(builtin, f"BUILTIN_{builtin}"))
    return names


def _tensor(reader, index, table, buffers):
    number = reader._fb.number_types
    shape = tuple(reader.ints(table, TENSOR_SHAPE))
    type_id = reader.scalar(table, TENSOR_TYPE, number.Int8Flags)
    buffer = reader.scalar(table, TENSOR_BUFFER, number.Uint32Flags)
    name = reader.string(table, TENSOR_NAME)
    if buffer >= len(buffers):
        raise ValueError(f"tensor {name}: buffer {buffer} of {len(buffers)}")
    if reader.scalar(buffers[buffer], BUFFER_OFFSET, number.Uint64Flags):
        raise ValueError(f"tensor {name}: data outside the flatbuffer is not supported")
    raw = reader.bytes(buffers[buffer], BUFFER_DATA)
    data = None
    if raw:
        if type_id not in TENSOR_TYPES:
            raise ValueError(f"tensor {name}: type {type_id} is not supported")
        dtype = np.dtype(TENSOR_TYPES[type_id])
        count = int(np.prod(shape, dtype=np.int64))
        if count * dtype.itemsize != len(raw):
            raise ValueError(f"tensor {name}: {len(raw)} bytes for shape {list(shape)}")
        data = np.frombuffer(raw, dtype, count).reshape(shape)
    return Tensor(index, name, shape, type_id, data)


def read_graph(data):
    """The first subgraph of the .tflite bytes `data`."""
    reader = _Reader(data)
    try:
        model = reader.root()
        subgraphs = reader.tables(model, MODEL_SUBGRAPHS)
        if len(subgraphs) != 1:
            raise ValueError(f"{len(subgraphs)} subgraphs; one expected")
        graph = subgraphs[0]
        buffers = reader.tables(model, MODEL_BUFFERS)
        names = _operator_names(reader, model)
        tensors = [_tensor(reader, i, t, buffers)
                   for i, t in enumerate(reader.tables(graph, SUBGRAPH_TENSORS))]
        operators = []
        number = reader._fb.number_types
        for i, op in enumerate(reader.tables(graph, SUBGRAPH_OPERATORS)):
            code = reader.scalar(op, OPERATOR_OPCODE, number.Uint32Flags)
            if code >= len(names):
                raise ValueError(f"operator {i}: opcode index {code} of {len(names)}")
            inputs = reader.ints(op, OPERATOR_INPUTS)
            outputs = reader.ints(op, OPERATOR_OUTPUTS)
            if any(t >= len(tensors) or t < -1 for t in inputs + outputs):
                raise ValueError(f"operator {i}: a tensor index out of range")
            fused = 0
            if names[code] in FUSED_ACTIVATION_FIRST:
                options = reader.table(op, OPERATOR_OPTIONS)
                fused = reader.scalar(options, 0, number.Int8Flags) if options else 0
            beta = 1.0
            if names[code] == "SOFTMAX":
                options = reader.table(op, OPERATOR_OPTIONS)
                beta = reader.scalar(options, 0, number.Float32Flags, 1.0) if options else 1.0
            operators.append(Operator(i, names[code], inputs, outputs, fused, beta))
        inputs = reader.ints(graph, SUBGRAPH_INPUTS)
        outputs = reader.ints(graph, SUBGRAPH_OUTPUTS)
    except ValueError:
        raise
    except Exception as error:  # the flatbuffers package's struct and index errors
        raise ValueError(f"damaged TFLite flatbuffer ({type(error).__name__}: {error})") from error
    return Graph(tensors, operators, inputs, outputs)
