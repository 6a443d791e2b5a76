#!/usr/bin/python3
"""The converter labels a file `bert` only when llama.cpp would compute the
same function from it, else `tinyenc` (docs/FORMAT.md): each golden
checkpoint is converted and its general.architecture checked against what
its config.json says, by hand, below. Also: only the tokenizer's special
tokens are control tokens, and general.quantization_version is 2, as
llama.cpp writes them.

Usage (meson test runs it, PYTHONPATH=models): convert_arch_test.py SOURCE_ROOT
"""

import json
import os
import shutil
import struct
import sys
import tempfile

from tinyenc_convert import hf

# case -> (architecture without heads, why). The reasons are the cases'
# config.json fields; a case llama.cpp runs as it is must read `bert`.
EXPECTED = {
    "tiny": ("bert", "post-LN, GELU (erf), learned positions, uncased"),
    "small_var": ("bert", "as tiny"),
    "odd_heads": ("tinyenc", "gelu_new (tanh) and a cased tokenizer"),
    "pre_relu": ("tinyenc", "pre-LN, ReLU, no Q/K/V biases"),
    "widen": ("tinyenc", "widening layers, ReLU, sinusoidal positions"),
    "features": ("tinyenc", "feature input"),
    "use_like": ("tinyenc", "pre-LN, widening, ReLU, sinusoidal positions"),
    "cross": ("bert", "as tiny (a one-label sequence classifier when its heads are kept)"),
    "token_cls": ("bert", "as tiny (a token classifier when its heads are kept)"),
}
# One difference at a time on tiny's checkpoint (file -> fields changed), so
# each is seen to make the file tinyenc's on its own: the golden cases above
# mostly differ in several ways at once.
TINY_VARIANTS = {
    "cased": ("tokenizer_config.json", {"do_lower_case": False}),
    "gelu_new": ("config.json", {"hidden_act": "gelu_new"}),
    "relu": ("config.json", {"hidden_act": "relu"}),
    "pre-LN": ("config.json", {"tinyenc_layer_norm": "pre"}),
}
# Cases whose checkpoint has a classifier, which --keep-heads keeps as
# tinyenc.* tensors.
WITH_HEADS = {"tiny", "cross", "token_cls"}
CONTROL = 3
SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q",
           11: "<q", 12: "<d"}


def read_keys(path):
    """GGUF v3 key -> value (arrays as lists): enough of the format to read
    what the converter wrote, independent of its writer."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:4] == b"GGUF", path
    offset = 8
    _tensors, key_count = struct.unpack_from("<QQ", data, offset)
    offset += 16

    def string():
        nonlocal offset
        (size,) = struct.unpack_from("<Q", data, offset)
        offset += 8 + size
        return data[offset - size:offset].decode("utf-8")

    def value(kind):
        nonlocal offset
        if kind == 8:
            return string()
        if kind == 9:
            (item_kind, count) = struct.unpack_from("<IQ", data, offset)
            offset += 12
            return [value(item_kind) for _ in range(count)]
        fmt = SCALARS[kind]
        offset += struct.calcsize(fmt)
        return struct.unpack_from(fmt, data, offset - struct.calcsize(fmt))[0]

    keys = {}
    for _ in range(key_count):
        key = string()
        (kind,) = struct.unpack_from("<I", data, offset)
        offset += 4
        keys[key] = value(kind)
    return keys


def convert(case_dir, out, outtype, keep_heads):
    # The converter prints nothing itself (run_writer does); only the result matters.
    hf.convert(case_dir, out, outtype, keep_heads=keep_heads)
    return read_keys(out)


def main():
    golden = os.path.join(sys.argv[1], "tests", "models", "golden")
    cases = sorted(name for name in os.listdir(golden)
                   if os.path.isfile(os.path.join(golden, name, "config.json")))
    failures = []
    if sorted(EXPECTED) != cases:
        failures.append(f"golden cases {cases}, expectations for {sorted(EXPECTED)}")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "model.gguf")
        for case in cases:
            want, why = EXPECTED.get(case, ("?", ""))
            runs = [("f32", False, want)]
            if want == "bert":
                # The same model with heads llama.cpp does not know, or in
                # tinyenc's own I8, is tinyenc's alone.
                runs += [("i8", False, "tinyenc"), ("q8_0", False, "bert")]
            if want == "bert" and case in WITH_HEADS:
                runs.append(("f32", True, "tinyenc"))
            for outtype, keep_heads, expected in runs:
                keys = convert(os.path.join(golden, case), out, outtype, keep_heads)
                arch = keys["general.architecture"]
                what = f"{case} {outtype}{' --keep-heads' if keep_heads else ''}"
                print(f"{what}: {arch} (want {expected}: {why})")
                if arch != expected:
                    failures.append(f"{what}: architecture {arch}, want {expected}")
                # Only a kept BertForTokenClassification head reads every token.
                want_input = "tokens" if case == "token_cls" and keep_heads else None
                if keys.get("tinyenc.classifier_input") != want_input:
                    failures.append(f"{what}: tinyenc.classifier_input "
                                    f"{keys.get('tinyenc.classifier_input')}, want {want_input}")
                if f"{arch}.block_count" not in keys:
                    failures.append(f"{what}: no {arch}.block_count")
                if keys.get("general.quantization_version") != 2:
                    failures.append(f"{what}: general.quantization_version "
                                    f"{keys.get('general.quantization_version')}")
                if "tokenizer.ggml.tokens" in keys:
                    tokens, types = keys["tokenizer.ggml.tokens"], keys["tokenizer.ggml.token_type"]
                    control = sorted(t for t, kind in zip(tokens, types) if kind == CONTROL)
                    if control != ["[CLS]", "[MASK]", "[PAD]", "[SEP]", "[UNK]"]:
                        failures.append(f"{what}: control tokens {control}")
        for variant, (file_name, fields) in TINY_VARIANTS.items():
            case_dir = os.path.join(tmp, variant)
            shutil.copytree(os.path.join(golden, "tiny"), case_dir)
            with open(os.path.join(case_dir, file_name)) as f:
                config = json.load(f)
            config.update(fields)
            with open(os.path.join(case_dir, file_name), "w") as f:
                json.dump(config, f)
            arch = convert(case_dir, out, "f32", False)["general.architecture"]
            print(f"tiny, {variant}: {arch} (want tinyenc)")
            if arch != "tinyenc":
                failures.append(f"tiny, {variant}: architecture {arch}, want tinyenc")
    for failure in failures:
        print("FAILED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
