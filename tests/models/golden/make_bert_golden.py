#!/usr/bin/python3
"""Writes small random Hugging Face-style BERT checkpoints and bert.golden.

Regenerate (from the repository root, with Debian's python3-numpy and
python3-torch; the python3 first on PATH may lack them):

    /usr/bin/python3 tests/models/golden/make_bert_golden.py

Each case folder (tests/models/golden/<case>/) holds what Hugging Face and
sentence-transformers would save: config.json, vocab.txt,
tokenizer_config.json, model.safetensors and, for `odd_heads`, modules.json
with 1_Pooling/ and a Normalize module. The build converts every folder with
models/convert_hf.py (tests/models/golden/meson.build), so the converter, the
GGUF reader and the encoder are all checked against the values here.

The expected values come from PyTorch in float64: standard layers are
torch.nn.TransformerEncoderLayer with the checkpoint's weights loaded into
it, so the reference is code none of us wrote. Only what that class cannot
express (a layer that changes width) is written out with torch ops, and that
function is asserted equal to TransformerEncoderLayer on every standard
layer first. Weights are drawn in float32, rounded to the checkpoint's dtype
(some cases are stored as F16 or BF16 to keep the folder small and to cover
the converter's readers) and used exactly as stored. Seeds are fixed.

Format (as tests/simd/golden/kernels.golden): '#' lines are comments; every
other line is one array `<group>.<case>.<field> <kind> <count> <values...>`,
f32 values printed with 9 significant digits (they read back as the same
float32 for inputs), i64 as decimal integers. Group `enc`, fields:
  lengths   i64, tokens per sequence (a class token included)
  ids       i64, token ids of all sequences concatenated (token models)
  type_ids  i64, token type ids, same layout (token models)
  features  f32, input frames of all sequences concatenated, feature_length
            values each, the class token not included (feature models)
  hidden    f32, final hidden states, the valid rows of every sequence
            concatenated (after output_norm when the model has one)
  mean      f32, batch x width: hidden averaged over each sequence's rows
  cls       f32, batch x width: each sequence's row 0
  pooled    f32, the model's configured pooling, then the pooler when it has one
  logits    f32, batch x labels: classifier applied to `pooled` (sequence
            classifiers); rows x labels, applied to every hidden row (token
            classifiers)
  embedding f32, `pooled`, L2-normalized when the model normalizes
  pooling   i64, [bert.pooling_type] the converter writes with --keep-heads
"""

import json
import math
import os
import struct

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
POOLING_MEAN, POOLING_CLS = 1, 2
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
PAD, UNK, CLS, SEP, MASK = range(len(SPECIALS))

# Layer widths/heads/ffn lists give per-layer values; the scalar ones apply to
# every layer otherwise. `dtype` is the checkpoint's storage type.
CASES = {
    "tiny": dict(layers=2, hidden=128, heads=2, ffn=512, vocab=300, context=128,
                 act="gelu", pooler=True, labels=3, lengths=[128, 5, 1], type_ids_seq=1,
                 dtype="F16", prefix="bert."),
    "odd_heads": dict(layers=2, hidden=72, heads=3, ffn=160, vocab=200, context=40,
                      act="gelu_new", lengths=[9, 17], dtype="F32", cased=True,
                      sentence_transformers=dict(pooling="cls", normalize=True)),
    "pre_relu": dict(layers=3, hidden=64, heads=4, ffn=256, vocab=150, context=32, act="relu",
                     pre_ln=True, qkv_bias=False, lengths=[1, 20], dtype="BF16", eps=1e-6),
    "widen": dict(layers=2, hidden=64, heads=4, ffn=256, vocab=150, context=64, act="relu",
                  widths=[128, 128], layer_heads=[4, 2], layer_ffn=[256, 512],
                  sinusoidal=True, pooler=True, lengths=[7, 30], dtype="F16"),
    "features": dict(layers=2, hidden=64, heads=1, ffn=256, context=99, act="gelu_new",
                     features=40, class_token=True, token_types=False, embedding_norm=False,
                     labels=12, lengths=[99, 50], dtype="F16", eps=1e-6),
    # USE-lite's structure: pre-LN, a first layer that widens with Q/K/V
    # narrower than its output, sinusoidal positions, ReLU, mean pooling
    # through a tanh pooler, L2-normalized.
    "use_like": dict(layers=2, hidden=64, heads=4, ffn=256, vocab=150, context=48, act="relu",
                     pre_ln=True, widths=[128, 128], layer_attention=[64, 128],
                     layer_ffn=[256, 384], sinusoidal=True, pooler=True, lengths=[11, 3, 25],
                     dtype="F16", eps=1e-6,
                     sentence_transformers=dict(pooling="mean", normalize=True)),
    # Stored in F32, so the F16 conversion really rounds; exact (erf) GELU
    # with FFN weights large enough that its tanh form moves the outputs;
    # embeddings ~100x smaller than the other cases', so the embedding
    # LayerNorm's input variance (~1e-4) is near its epsilon (1e-5) and a
    # wrong epsilon moves every output by percents.
    "small_var": dict(layers=2, hidden=64, heads=4, ffn=256, vocab=120, context=32, act="gelu",
                      lengths=[13, 6], dtype="F32", eps=1e-5, embedding_scale=0.01,
                      ffn_std=0.1),
    # A cross-encoder (BertForSequenceClassification with one label, as
    # rerankers are): each sequence is a pair of whole-word texts, [CLS] a
    # [SEP] b [SEP] with token types 0 then 1, so `tinyenc score` can be run
    # on the words and checked against these logits.
    "cross": dict(layers=2, hidden=64, heads=4, ffn=256, vocab=150, context=40, act="gelu",
                  pooler=True, labels=1, pairs=[(4, 9), (7, 2), (12, 12)], dtype="F32"),
    # BertForTokenClassification: the classifier on every token's row.
    "token_cls": dict(layers=2, hidden=64, heads=4, ffn=256, vocab=150, context=40, act="gelu",
                      token_labels=5, lengths=[11, 4], type_ids_seq=0, dtype="F32"),
}

lines = []


def emit(name, kind, values):
    values = np.asarray(values).ravel()
    if kind == "f32":
        text = ["%.9g" % float(v) for v in values]
    else:
        text = [str(int(v)) for v in values]
    lines.append(" ".join([name, kind, str(len(text))] + text))


# ---- checkpoint ------------------------------------------------------------


def vocabulary(size):
    """Specials away from BERT's usual ids (so lookups are really made),
    word-initial and ## pieces, a few non-ASCII ones, an [unused] token."""
    words = ["the", "a", "##s", "##ing", "##ed", "cafe", "##\u00e9", "stra\u00dfe", "[unused0]",
             "##", "#", "."]
    tokens = SPECIALS + words
    for i in range(size - len(tokens)):
        tokens.append(f"##p{i}" if i % 3 == 2 else f"w{i}")
    return tokens[:size]


def round_to_dtype(array, dtype):
    array = array.astype(np.float32)
    if dtype == "F16":
        return array.astype(np.float16).astype(np.float32)
    if dtype == "BF16":  # round to nearest even on the upper 16 bits
        bits = array.view(np.uint32).astype(np.uint64)
        bits = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16 << 16
        return bits.astype(np.uint32).view(np.float32)
    return array


def stored_bytes(array, dtype):
    if dtype == "F16":
        return array.astype("<f2").tobytes()
    if dtype == "BF16":
        return (array.view(np.uint32) >> 16).astype("<u2").tobytes()
    return array.astype("<f4").tobytes()


def write_safetensors(path, state, dtype):
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    blobs = []
    for name, array in state.items():
        blob = stored_bytes(array, dtype)
        header[name] = {"dtype": dtype, "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # the format pads the header with spaces
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def make_state(case, rng):
    """Hugging Face state dict (names without the `bert.` prefix), float32."""
    hidden = case["hidden"]
    widths = case.get("widths", [hidden] * case["layers"])
    ffn = case.get("layer_ffn", [case["ffn"]] * case["layers"])
    pre_ln = case.get("pre_ln", False)
    state = {}

    def normal(shape, std):
        return (rng.standard_normal(shape) * std).astype(np.float32)

    def linear(name, rows, cols, std=0.08, bias=True):
        state[name + ".weight"] = normal((rows, cols), std)
        if bias:
            state[name + ".bias"] = normal(rows, 0.05)

    def layer_norm(name, width):
        state[name + ".weight"] = (1 + normal(width, 0.1)).astype(np.float32)
        state[name + ".bias"] = normal(width, 0.1)

    scale = case.get("embedding_scale", 1.0)
    if "features" in case:
        linear("embeddings.input_proj", hidden, case["features"], std=0.15)
        if case.get("class_token"):
            state["embeddings.class_token"] = normal((1, 1, hidden), 0.5)
    else:
        state["embeddings.word_embeddings.weight"] = normal((case["vocab"], hidden), 0.5 * scale)
        if case.get("token_types", True):
            state["embeddings.token_type_embeddings.weight"] = normal((2, hidden), 0.3 * scale)
    if not case.get("sinusoidal"):
        state["embeddings.position_embeddings.weight"] = normal((case["context"], hidden),
                                                                0.3 * scale)
    if case.get("embedding_norm", True):
        layer_norm("embeddings.LayerNorm", hidden)
    width_in = hidden
    # The sub-layers that add into the residual stream (value, attention
    # output, FFN) are drawn as Hugging Face initializes BERT (std 0.02,
    # initializer_range), so each adds a modest share to the stream, as in
    # trained models, and quantization noise is measured on a realistic
    # balance. Query and key stay larger so attention is peaked: a mistake in
    # head splitting or masking then moves outputs far beyond the F32 bound.
    residual_std = 0.02
    attentions = case.get("layer_attention", widths)
    for n, (width, attention, ff) in enumerate(zip(widths, attentions, ffn)):
        prefix = f"encoder.layer.{n}."
        for proj in ("query", "key", "value"):
            linear(prefix + "attention.self." + proj, attention, width_in,
                   std=residual_std if proj == "value" else 0.08,
                   bias=case.get("qkv_bias", True))
        linear(prefix + "attention.output.dense", width, attention, std=residual_std)
        layer_norm(prefix + "attention.output.LayerNorm", width_in if pre_ln else width)
        linear(prefix + "intermediate.dense", ff, width, std=case.get("ffn_std", residual_std))
        linear(prefix + "output.dense", width, ff, std=case.get("ffn_std", residual_std))
        layer_norm(prefix + "output.LayerNorm", width)
        if width != width_in:
            linear(prefix + "residual_proj", width, width_in)
        width_in = width
    if pre_ln:
        layer_norm("encoder.final_layer_norm", width_in)
    if case.get("pooler"):
        linear("pooler.dense", width_in, width_in)
    if case.get("labels") or case.get("token_labels"):
        linear("classifier", case.get("labels") or case["token_labels"], width_in, std=0.2)
    return {name: round_to_dtype(a, case["dtype"]) for name, a in state.items()}


def write_checkpoint(name, case, state):
    folder = os.path.join(HERE, name)
    os.makedirs(folder, exist_ok=True)
    config = {
        "architectures": ["BertForSequenceClassification" if case.get("labels") else
                          "BertForTokenClassification" if case.get("token_labels") else
                          "BertModel"],
        "model_type": "bert",
        "hidden_size": case["hidden"],
        "num_hidden_layers": case["layers"],
        "num_attention_heads": case["heads"],
        "intermediate_size": case["ffn"],
        "hidden_act": case["act"],
        "max_position_embeddings": case["context"],
        "type_vocab_size": 2 if case.get("token_types", True) else 0,
        "vocab_size": case.get("vocab", 0),
        "layer_norm_eps": case.get("eps", 1e-12),
        "position_embedding_type": "absolute",
    }
    if case.get("labels") or case.get("token_labels"):
        config["num_labels"] = case.get("labels") or case["token_labels"]
    extensions = {"tinyenc_layer_norm": "pre" if case.get("pre_ln") else None,
                  "tinyenc_layer_widths": case.get("widths"),
                  "tinyenc_layer_heads": case.get("layer_heads"),
                  "tinyenc_layer_attention": case.get("layer_attention"),
                  "tinyenc_layer_ffn": case.get("layer_ffn"),
                  "tinyenc_position": "sinusoidal" if case.get("sinusoidal") else None,
                  "tinyenc_input_features": case.get("features"),
                  "tinyenc_class_token": case.get("class_token"),
                  "tinyenc_qkv_bias": case.get("qkv_bias")}
    config.update({k: v for k, v in extensions.items() if v is not None})

    def dump(relative, obj):
        path = os.path.join(folder, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(obj, f, indent=2)
            f.write("\n")

    dump("config.json", config)
    if "vocab" in case:
        with open(os.path.join(folder, "vocab.txt"), "w", encoding="utf-8") as f:
            f.write("".join(t + "\n" for t in vocabulary(case["vocab"])))
        dump("tokenizer_config.json", {"do_lower_case": not case.get("cased", False),
                                       "cls_token": "[CLS]", "sep_token": "[SEP]",
                                       "unk_token": "[UNK]", "pad_token": "[PAD]",
                                       "mask_token": "[MASK]",
                                       "tokenizer_class": "BertTokenizer"})
    st = case.get("sentence_transformers")
    if st:
        dump("modules.json", [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling",
             "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize",
             "type": "sentence_transformers.models.Normalize"}])
        dump("1_Pooling/config.json", {
            "word_embedding_dimension": case["hidden"],
            "pooling_mode_cls_token": st["pooling"] == "cls",
            "pooling_mode_mean_tokens": st["pooling"] == "mean",
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False})
    prefix = case.get("prefix", "")
    write_safetensors(os.path.join(folder, "model.safetensors"),
                      {prefix + k: v for k, v in state.items()}, case["dtype"])


# ---- PyTorch reference (float64) --------------------------------------------


def activation_fn(name):
    """What TransformerEncoderLayer takes for each Hugging Face hidden_act."""
    if name == "gelu":
        return "gelu"  # torch's gelu is the exact erf form, as Hugging Face's
    if name == "relu":
        return "relu"
    assert name == "gelu_new"
    return lambda x: F.gelu(x, approximate="tanh")


def apply_activation(name, x):
    act = activation_fn(name)
    return getattr(F, act)(x) if isinstance(act, str) else act(x)


def sinusoidal_positions(count, width):
    half = width // 2
    i = torch.arange(half, dtype=torch.float64)
    inv = torch.exp(-i * math.log(10000.0) / max(half - 1, 1))
    angles = torch.arange(count, dtype=torch.float64)[:, None] * inv[None, :]
    return torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)


class Weights:
    """float64 torch views of the stored state dict."""

    def __init__(self, state):
        self.state = {k: torch.from_numpy(v.astype(np.float64)) for k, v in state.items()}

    def get(self, name):
        return self.state.get(name)

    def linear(self, name, x):
        y = x @ self.state[name + ".weight"].T
        bias = self.state.get(name + ".bias")
        return y if bias is None else y + bias

    def layer_norm(self, name, x, eps):
        w = self.state[name + ".weight"]
        return F.layer_norm(x, w.shape, w, self.state[name + ".bias"], eps)


def manual_layer(w, n, x, pad, heads, act, pre_ln, eps):
    """One encoder layer in torch ops, for what TransformerEncoderLayer cannot
    hold: Q/K/V of another width than the input or output, and a residual
    projection."""
    prefix = f"encoder.layer.{n}."
    norm1 = prefix + "attention.output.LayerNorm"
    norm2 = prefix + "output.LayerNorm"
    residual = (w.linear(prefix + "residual_proj", x)
                if w.get(prefix + "residual_proj.weight") is not None else x)

    def attention(h):
        batch, seq, _ = h.shape
        q, k, v = (w.linear(prefix + "attention.self." + p, h) for p in ("query", "key", "value"))
        width = q.shape[-1]
        split = [t.reshape(batch, seq, heads, width // heads).transpose(1, 2) for t in (q, k, v)]
        scores = split[0] @ split[1].transpose(-1, -2) / math.sqrt(width // heads)
        scores = scores.masked_fill(pad[:, None, None, :], float("-inf"))
        mixed = (torch.softmax(scores, dim=-1) @ split[2]).transpose(1, 2).reshape(batch, seq, width)
        return w.linear(prefix + "attention.output.dense", mixed)

    def feed_forward(h):
        return w.linear(prefix + "output.dense",
                        apply_activation(act, w.linear(prefix + "intermediate.dense", h)))

    if pre_ln:
        x = residual + attention(w.layer_norm(norm1, x, eps))
        return x + feed_forward(w.layer_norm(norm2, x, eps))
    x = w.layer_norm(norm1, residual + attention(x), eps)
    return w.layer_norm(norm2, x + feed_forward(x), eps)


def torch_layer(w, n, width, heads, ffn, act, pre_ln, eps):
    layer = torch.nn.TransformerEncoderLayer(width, heads, ffn, dropout=0.0,
                                             activation=activation_fn(act), layer_norm_eps=eps,
                                             batch_first=True, norm_first=pre_ln,
                                             dtype=torch.float64)
    prefix = f"encoder.layer.{n}."
    qkv = [prefix + "attention.self." + p for p in ("query", "key", "value")]
    with torch.no_grad():
        layer.self_attn.in_proj_weight.copy_(torch.cat([w.get(q + ".weight") for q in qkv]))
        biases = [w.get(q + ".bias") for q in qkv]
        # Absent Q/K/V biases are zero biases: the same function.
        layer.self_attn.in_proj_bias.copy_(torch.zeros(3 * width, dtype=torch.float64)
                                           if biases[0] is None else torch.cat(biases))
        for module, name in ((layer.self_attn.out_proj, "attention.output.dense"),
                             (layer.linear1, "intermediate.dense"),
                             (layer.linear2, "output.dense"),
                             (layer.norm1, "attention.output.LayerNorm"),
                             (layer.norm2, "output.LayerNorm")):
            module.weight.copy_(w.get(prefix + name + ".weight"))
            module.bias.copy_(w.get(prefix + name + ".bias"))
    # Training mode with dropout 0 is the plain math path; eval mode may take
    # the fused "fast path", which is not what is being checked against.
    layer.train()
    return layer


def embed(case, w, inputs, lengths):
    """Padded [batch, seq, H] embeddings and the padding mask (True = pad)."""
    batch, seq = len(lengths), max(lengths)
    hidden = case["hidden"]
    if "features" in case:
        rows = w.linear("embeddings.input_proj", torch.from_numpy(inputs["features"]).double())
        token = w.get("embeddings.class_token")
        pieces, start = [], 0
        for length in lengths:
            frames = length - (1 if token is not None else 0)
            seq_rows = rows[start:start + frames]
            start += frames
            if token is not None:
                seq_rows = torch.cat([token.reshape(1, hidden), seq_rows])
            pieces.append(seq_rows)
    else:
        ids = torch.from_numpy(inputs["ids"])
        rows = w.get("embeddings.word_embeddings.weight")[ids]
        types = w.get("embeddings.token_type_embeddings.weight")
        if types is not None:
            rows = rows + types[torch.from_numpy(inputs["type_ids"])]
        pieces = list(torch.split(rows, lengths))
    x = torch.zeros(batch, seq, hidden, dtype=torch.float64)
    pad = torch.ones(batch, seq, dtype=torch.bool)
    for b, piece in enumerate(pieces):
        x[b, :len(piece)] = piece
        pad[b, :len(piece)] = False
    if case.get("sinusoidal"):
        x = x + sinusoidal_positions(seq, hidden)[None]
    else:
        x = x + w.get("embeddings.position_embeddings.weight")[:seq][None]
    if w.get("embeddings.LayerNorm.weight") is not None:
        x = w.layer_norm("embeddings.LayerNorm", x, case["eps32"])
    return x, pad


def encode(case, w, inputs, lengths):
    """Final hidden states [batch, seq, width] and the padding mask."""
    x, pad = embed(case, w, inputs, lengths)
    layers = case["layers"]
    widths = case.get("widths", [case["hidden"]] * layers)
    heads = case.get("layer_heads", [case["heads"]] * layers)
    ffn = case.get("layer_ffn", [case["ffn"]] * layers)
    attentions = case.get("layer_attention", widths)
    pre_ln, eps = case.get("pre_ln", False), case["eps32"]
    for n in range(layers):
        manual = manual_layer(w, n, x, pad, heads[n], case["act"], pre_ln, eps)
        if x.shape[-1] == widths[n] == attentions[n]:
            layer = torch_layer(w, n, widths[n], heads[n], ffn[n], case["act"], pre_ln, eps)
            x = layer(x, src_key_padding_mask=pad)
            valid = ~pad
            # The hand-written layer must be the same function wherever both apply.
            assert torch.max(torch.abs(manual[valid] - x[valid])) < 1e-12
        else:
            x = manual
    if w.get("encoder.final_layer_norm.weight") is not None:
        x = w.layer_norm("encoder.final_layer_norm", x, eps)
    return x, pad


def whole_words(size):
    """Ids of the vocabulary's word-initial pieces that no other word-initial
    piece extends ("w12" is one, and "w1" is not: WordPiece would match
    "w12" whole), so a text of these words tokenizes back to their ids."""
    tokens = vocabulary(size)
    starts = [t for t in tokens[len(SPECIALS):] if not t.startswith("#")]
    return [i for i, t in enumerate(tokens) if t in starts and t.isalnum()
            and not any(o != t and o.startswith(t) for o in starts)]


def make_inputs(case, rng):
    if "pairs" in case:
        words = whole_words(case["vocab"])
        ids, type_ids = [], []
        for first, second in case["pairs"]:
            a, b = rng.choice(words, first), rng.choice(words, second)
            ids.append(np.concatenate([[CLS], a, [SEP], b, [SEP]]))
            type_ids.append(np.array([0] * (first + 2) + [1] * (second + 1)))
        return {"ids": np.concatenate(ids).astype(np.int64),
                "type_ids": np.concatenate(type_ids).astype(np.int64)}
    lengths = case["lengths"]
    total = sum(lengths)
    if "features" in case:
        frames = total - len(lengths) * int(bool(case.get("class_token")))
        return {"features": rng.standard_normal((frames, case["features"])).astype(np.float32)}
    ids, type_ids = [], []
    for b, length in enumerate(lengths):
        seq = rng.integers(len(SPECIALS), case["vocab"], length)
        seq[0] = CLS
        if length > 1:
            seq[-1] = SEP
        ids.append(seq)
        types = np.zeros(length, dtype=np.int64)
        if b == case.get("type_ids_seq"):
            types[length // 2:] = 1  # a second segment
        type_ids.append(types)
    return {"ids": np.concatenate(ids).astype(np.int64),
            "type_ids": np.concatenate(type_ids)}


def golden_case(name, case, seed):
    rng = np.random.default_rng(seed)
    case = dict(case, eps32=float(np.float32(case.get("eps", 1e-12))))
    state = make_state(case, rng)
    write_checkpoint(name, case, state)
    w = Weights(state)
    inputs = make_inputs(case, rng)
    lengths = case.get("lengths") or [a + b + 3 for a, b in case["pairs"]]
    with torch.no_grad():
        hidden, pad = encode(case, w, inputs, lengths)
    valid = ~pad
    counts = valid.sum(dim=1, keepdim=True).double()
    mean = (hidden * valid[..., None]).sum(dim=1) / counts
    cls = hidden[:, 0]
    st = case.get("sentence_transformers")
    if st:
        pooling = POOLING_CLS if st["pooling"] == "cls" else POOLING_MEAN
    else:
        pooling = POOLING_CLS if case.get("labels") else POOLING_MEAN
    pooled = cls if pooling == POOLING_CLS else mean
    if w.get("pooler.dense.weight") is not None:
        pooled = torch.tanh(w.linear("pooler.dense", pooled))
    embedding = F.normalize(pooled, dim=-1) if st and st["normalize"] else pooled

    prefix = f"enc.{name}."
    emit(prefix + "lengths", "i64", lengths)
    for field, values in inputs.items():
        emit(prefix + field, "f32" if field == "features" else "i64", values)
    emit(prefix + "hidden", "f32", hidden[valid].numpy())
    emit(prefix + "mean", "f32", mean.numpy())
    emit(prefix + "cls", "f32", cls.numpy())
    emit(prefix + "pooled", "f32", pooled.numpy())
    if case.get("token_labels"):
        emit(prefix + "logits", "f32", w.linear("classifier", hidden[valid]).numpy())
    elif w.get("classifier.weight") is not None:
        emit(prefix + "logits", "f32", w.linear("classifier", pooled).numpy())
    emit(prefix + "embedding", "f32", embedding.numpy())
    emit(prefix + "pooling", "i64", [pooling])
    print(f"{name}: hidden {tuple(hidden[valid].shape)}, "
          f"max |hidden| {hidden[valid].abs().max().item():.3g}, pooling {pooling}")


def main():
    torch.manual_seed(0)  # TransformerEncoderLayer draws its initial weights
    lines.append("# Generated by tests/models/golden/make_bert_golden.py; do not edit by hand.")
    lines.append(f"# numpy {np.__version__}, torch {torch.__version__}")
    for seed, (name, case) in enumerate(CASES.items(), start=1000):
        golden_case(name, case, seed)
    path = os.path.join(HERE, "bert.golden")
    with open(path, "w", encoding="ascii") as out:
        out.write("\n".join(lines) + "\n")
    print(f"wrote {path}: {len(lines)} lines, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
