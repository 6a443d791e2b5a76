"""The random-weight BERT of models/make_random_bert.py as an ONNX file, for
ONNX Runtime: the same function tinyenc computes from the same float arrays.

Token ids in (input_ids: int64 [1, T], T fixed in the file: with static
shapes ONNX Runtime's optimizer also fuses each residual Add into its layer
norm, SkipLayerNormalization, and the MatMul-bias pairs into Gemm, which a
free T prevents); the embedding (token + position +
token type 0, layer norm), post-LN layers with erf GELU, and two outputs:
hidden ([1, T, H]) and embedding (mean over the tokens, [1, H]), as tinyenc's
Encode with mean pooling. Opset 17 (LayerNormalization), written with
onnx.helper, no torch.

int8=True writes ONNX Runtime's dynamic-quantization form, as
onnxruntime.quantization.quantize_dynamic makes it: every weight MatMul
becomes DynamicQuantizeLinear on the activations (uint8, per tensor) and
MatMulInteger with per-tensor symmetric int8 weights (scale max|w| / 127,
zero point 0), Cast, and a Mul by the product of the two scales; ONNX Runtime
fuses that into DynamicQuantizeMatMul. The embedding tables and the
activation x activation products of attention stay float, as with
quantize_dynamic.
"""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17


class Graph:
    def __init__(self):
        self.nodes, self.initializers, self.count = [], [], 0

    def name(self, hint):
        self.count += 1
        return f"{hint}_{self.count}"

    def const(self, hint, array):
        name = self.name(hint)
        self.initializers.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def op(self, op_type, inputs, hint=None, outputs=1, **attrs):
        names = [self.name(hint or op_type.lower()) for _ in range(outputs)]
        self.nodes.append(helper.make_node(op_type, inputs, names, **attrs))
        return names[0] if outputs == 1 else names


def quantize_weight(w):
    """Per-tensor symmetric int8 as quantize_dynamic (QInt8, symmetric)."""
    scale = np.float32(np.abs(w).max() / 127.0)
    q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
    return q, scale


def linear(g, x, w, b, int8, hint):
    """x @ w.T + b with w of numpy shape (out, in), as GGUF stores it."""
    wt = np.ascontiguousarray(w.T.astype(np.float32))  # (in, out), as torch exports it
    if int8:
        q, scale = quantize_weight(wt)
        x_q, x_scale, x_zp = g.op("DynamicQuantizeLinear", [x], hint + "_dql", outputs=3)
        acc = g.op("MatMulInteger", [x_q, g.const(hint + "_wq", q), x_zp,
                                     g.const(hint + "_wzp", np.int8(0))], hint + "_mmi")
        multiplier = g.op("Mul", [x_scale, g.const(hint + "_wscale", scale)], hint + "_scales")
        y = g.op("Mul", [g.op("Cast", [acc], hint + "_cast", to=TensorProto.FLOAT), multiplier],
                 hint + "_scaled")
    else:
        y = g.op("MatMul", [x, g.const(hint + "_w", wt)], hint + "_matmul")
    return g.op("Add", [y, g.const(hint + "_b", b)], hint + "_bias")


def layer_norm(g, x, tensors, prefix, eps):
    return g.op("LayerNormalization", [x, g.const(prefix + "_gamma", tensors[prefix + ".weight"]),
                                       g.const(prefix + "_beta", tensors[prefix + ".bias"])],
                prefix.replace(".", "_"), axis=-1, epsilon=eps)


def build(p, tensors, int8, tokens):
    """ONNX ModelProto for EncoderParams p, GGUF-named float arrays and
    sequences of `tokens` tokens."""
    g = Graph()
    hidden, heads = p.embedding_length, p.head_count
    head = hidden // heads
    eps = p.layer_norm_eps
    # Embedding: token rows + position rows [0, T) + token type 0, then layer norm.
    x = g.op("Gather", [g.const("token_embd", tensors["token_embd.weight"]), "input_ids"],
             "token_rows", axis=0)
    length = g.op("Shape", ["input_ids"], "length", start=1, end=2)
    positions = g.op("Slice", [g.const("position_embd", tensors["position_embd.weight"]),
                               g.const("zero", np.array([0], np.int64)), length,
                               g.const("axis0", np.array([0], np.int64))], "positions")
    x = g.op("Add", [x, positions], "add_positions")
    x = g.op("Add", [x, g.const("token_type0", tensors["token_types.weight"][0])], "add_type")
    x = layer_norm(g, x, tensors, "token_embd_norm", eps)

    split_shape = g.const("split_shape", np.array([0, -1, heads, head], np.int64))
    merge_shape = g.const("merge_shape", np.array([0, -1, hidden], np.int64))
    inv_sqrt_d = g.const("inv_sqrt_d", np.float32(1.0 / np.sqrt(head)))
    for n in range(p.block_count):
        blk = f"blk.{n}."

        def lin(name, inp):
            return linear(g, inp, tensors[blk + name + ".weight"], tensors[blk + name + ".bias"],
                          int8, f"l{n}_{name}")
        q = g.op("Transpose", [g.op("Reshape", [lin("attn_q", x), split_shape])], perm=[0, 2, 1, 3])
        k = g.op("Transpose", [g.op("Reshape", [lin("attn_k", x), split_shape])], perm=[0, 2, 3, 1])
        v = g.op("Transpose", [g.op("Reshape", [lin("attn_v", x), split_shape])], perm=[0, 2, 1, 3])
        scores = g.op("Mul", [g.op("MatMul", [q, k], f"l{n}_scores"), inv_sqrt_d])
        probs = g.op("Softmax", [scores], f"l{n}_softmax", axis=-1)
        context = g.op("MatMul", [probs, v], f"l{n}_context")
        context = g.op("Reshape", [g.op("Transpose", [context], perm=[0, 2, 1, 3]), merge_shape])
        x = layer_norm(g, g.op("Add", [x, lin("attn_output", context)], f"l{n}_residual1"),
                       tensors, blk + "attn_output_norm", eps)
        up = lin("ffn_up", x)
        # erf GELU in the form torch exports (ONNX Runtime fuses it into Gelu).
        erf = g.op("Erf", [g.op("Div", [up, g.const("sqrt2", np.float32(np.sqrt(2.0)))])])
        gelu = g.op("Mul", [g.op("Mul", [up, g.op("Add", [erf, g.const("one", np.float32(1))])]),
                            g.const("half", np.float32(0.5))], f"l{n}_gelu")
        x = layer_norm(g, g.op("Add", [x, lin("ffn_down", gelu)], f"l{n}_residual2"),
                       tensors, blk + "layer_output_norm", eps)
    g.nodes.append(helper.make_node("Identity", [x], ["hidden"]))
    g.nodes.append(helper.make_node("ReduceMean", [x], ["embedding"], axes=[1], keepdims=0))
    graph = helper.make_graph(
        g.nodes, "random_bert_int8" if int8 else "random_bert",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, [1, tokens])],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, [1, tokens, hidden]),
         helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, hidden])],
        g.initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="tinyenc tools/peers")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def build_floor(tokens):
    """A model that does next to nothing (the ids cast to float), same input and
    output names: its time is what one session.run costs in the harness."""
    graph = helper.make_graph(
        [helper.make_node("Cast", ["input_ids"], ["embedding"], to=TensorProto.FLOAT)],
        "call_floor", [helper.make_tensor_value_info("input_ids", TensorProto.INT64, [1, tokens])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, tokens])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="tinyenc tools/peers")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model
