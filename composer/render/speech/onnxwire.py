"""Reading and extending an ONNX model's top graph in its protobuf wire format, without the onnx package.

Importing onnx (with ml_dtypes) costs about a CPU second per process, and loading and re-serialising a voice
model through it another third: as much as the rest of a short scene's speech. A Piper voice needs only one
change before onnxruntime loads it (its phoneme lengths marked as a graph output), which a few bytes appended to
the file do: protobuf merges a message field that appears twice, so a second `graph` holding one more `output`
adds that output to the model's graph.

Field numbers are those of onnx.proto: ModelProto.graph 7; GraphProto.node 1, output 12; NodeProto.output 2,
op_type 4; ValueInfoProto.name 1.
"""
from __future__ import annotations

from collections.abc import Iterator

MODEL_GRAPH = 7
GRAPH_NODE, GRAPH_OUTPUT = 1, 12
NODE_OUTPUT, NODE_OP_TYPE = 2, 4
VALUE_INFO_NAME = 1
VARINT, FIXED64, LENGTH, FIXED32 = 0, 1, 2, 5


def _varint(data: bytes | memoryview, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7
        if shift > 63:
            raise ValueError("not an ONNX model: a varint runs past 64 bits")


def _fields(data: bytes | memoryview, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, int]]:
    """(field number, start, end) of each length-delimited field of the message in data[start:end]; other
    fields are skipped."""
    pos, end = start, len(data) if end is None else end
    while pos < end:
        key, pos = _varint(data, pos)
        number, kind = key >> 3, key & 7
        if kind == VARINT:
            _, pos = _varint(data, pos)
        elif kind == FIXED64:
            pos += 8
        elif kind == FIXED32:
            pos += 4
        elif kind == LENGTH:
            size, pos = _varint(data, pos)
            if pos + size > end:
                raise ValueError("not an ONNX model: a field runs past its message")
            yield number, pos, pos + size
            pos += size
        else:
            raise ValueError(f"not an ONNX model: wire type {kind}")
    if pos != end:
        raise ValueError("not an ONNX model: a message ends inside a field")


def _strings(data: memoryview, start: int, end: int, number: int) -> list[str]:
    return [bytes(data[a:b]).decode() for field, a, b in _fields(data, start, end) if field == number]


def _graphs(data: memoryview) -> list[tuple[int, int]]:
    return [(a, b) for field, a, b in _fields(data) if field == MODEL_GRAPH]


def node_outputs(model: bytes, op_type: str) -> set[str]:
    """The outputs of the top graph's nodes of `op_type`."""
    data = memoryview(model)
    names: set[str] = set()
    for start, end in _graphs(data):
        for field, a, b in _fields(data, start, end):
            if field == GRAPH_NODE and _strings(data, a, b, NODE_OP_TYPE) == [op_type]:
                names.update(_strings(data, a, b, NODE_OUTPUT))
    return names


def graph_outputs(model: bytes) -> list[str]:
    """The names of the top graph's outputs, in order."""
    data = memoryview(model)
    return [name for start, end in _graphs(data) for field, a, b in _fields(data, start, end)
            if field == GRAPH_OUTPUT for name in _strings(data, a, b, VALUE_INFO_NAME)]


def _length_field(number: int, payload: bytes) -> bytes:
    out = bytearray([number << 3 | LENGTH])
    size = len(payload)
    while size >= 0x80:
        out.append(size & 0x7F | 0x80)
        size >>= 7
    out.append(size)
    return bytes(out) + payload


def output_suffix(name: str) -> bytes:
    """Bytes that, appended to a serialised model, mark the tensor `name` as one more output of its graph (with no
    type: onnxruntime infers it)."""
    return _length_field(MODEL_GRAPH, _length_field(GRAPH_OUTPUT, _length_field(VALUE_INFO_NAME, name.encode())))
