"""The Python package against PyTorch's outputs on every golden case and
weight type: the goldens and bounds of tests/models/encoder_golden_test.cc,
through embed (the batch packed in one Encode), logits (token_logits for a
token classifier) and hidden_states; and the `cross` case's pairs as text."""
import numpy as np
import pytest

import tinyenc
from conftest import SOURCE_ROOT
from golden_file import agreement, encoder_bounds, golden_cases, read_golden

GOLDEN = read_golden("tests/models/golden/bert.golden")
BOUNDS = encoder_bounds()
POOLING_NAMES = {0: "none", 1: "mean", 2: "cls"}  # bert.pooling_type


def golden_batch(case, model):
    """The case's sequences (and type ids) as the model reads them."""
    prefix = f"enc.{case}."
    lengths = GOLDEN[prefix + "lengths"] - (1 if model.class_token else 0)
    ends = np.cumsum(lengths)[:-1]
    if model.input == "tokens":
        return (np.split(GOLDEN[prefix + "ids"], ends),
                np.split(GOLDEN[prefix + "type_ids"], ends))
    frames = GOLDEN[prefix + "features"].reshape(-1, model.feature_length)
    return np.split(frames, ends), None


def check(what, got, want, max_error, cosine):
    error, min_cosine = agreement(got, want)
    print(f"{what}: max rel error {error:.3g} (bound {max_error:.3g}), min cosine {min_cosine:.9f}")
    assert error <= max_error, what
    assert min_cosine >= cosine, what


def test_agreement_fails_every_bound_on_a_nan_or_an_infinity():
    want = np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32)
    assert agreement(want, want) == (0.0, 1.0)
    for bad in (np.nan, np.inf):
        got = want.copy()
        got[1, 0] = bad
        error, cosine = agreement(got, want)
        assert not error <= 1e300 and not cosine >= -1.0


@pytest.mark.parametrize("weight_type", list(BOUNDS))
@pytest.mark.parametrize("case", golden_cases(GOLDEN, "enc"))
def test_encoder_matches_pytorch(case, weight_type, golden_models):
    model = tinyenc.Model(golden_models / f"{case}-{weight_type}.gguf")
    prefix = f"enc.{case}."
    assert model.pooling == POOLING_NAMES[int(GOLDEN[prefix + "pooling"][0])]
    max_error, token_cosine, pooled_cosine = BOUNDS[weight_type]
    sequences, type_ids = golden_batch(case, model)
    count = len(sequences)

    hidden = np.concatenate([
        model.hidden_states(sequence, type_ids=None if type_ids is None else type_ids[b])
        for b, sequence in enumerate(sequences)])
    check("hidden", hidden, GOLDEN[prefix + "hidden"].reshape(-1, model.width), max_error,
          token_cosine)
    embedding = model.embed(sequences, type_ids=type_ids)
    assert embedding.dtype == np.float32 and embedding.shape == (count, model.width)
    check("embedding", embedding, GOLDEN[prefix + "embedding"].reshape(count, -1), max_error,
          pooled_cosine)
    if model.labels and model.classifier_input == "tokens":
        logits = np.concatenate([
            model.token_logits(sequence, type_ids=None if type_ids is None else type_ids[b])
            for b, sequence in enumerate(sequences)])
        check("token logits", logits, GOLDEN[prefix + "logits"].reshape(len(logits), -1),
              max_error, token_cosine)
    elif model.labels:
        check("logits", model.logits(sequences, type_ids=type_ids),
              GOLDEN[prefix + "logits"].reshape(count, -1), max_error, pooled_cosine)
    # Both poolings, where no pooler transforms them.
    for pooling in ("mean", "cls") if not model.pooler else ():
        got = model.embed(sequences, type_ids=type_ids, pooling=pooling, normalize=False)
        check(pooling, got, GOLDEN[prefix + pooling].reshape(count, -1), max_error, pooled_cosine)


@pytest.mark.parametrize("weight_type", ["f32", "i8"])
def test_text_pairs_match_pytorch(weight_type, golden_models):
    """The cross case (a one-label cross-encoder): each sequence is [CLS] a
    [SEP] b [SEP] of whole vocabulary words, so the words as text must
    tokenize to PyTorch's ids and types and score as PyTorch did."""
    model = tinyenc.Model(golden_models / f"cross-{weight_type}.gguf")
    max_error, _, pooled_cosine = BOUNDS[weight_type]
    vocab = (SOURCE_ROOT / "tests/models/golden/cross/vocab.txt").read_text().split("\n")
    ids, types = golden_batch("cross", model)
    pairs = []
    for seq, seq_types in zip(ids, types):
        sep = seq.tolist().index(vocab.index("[SEP]"))
        pair = (" ".join(vocab[i] for i in seq[1:sep]), " ".join(vocab[i] for i in seq[sep + 1:-1]))
        got_ids, got_types = model.tokenize(*pair)
        assert got_ids.tolist() == seq.tolist() and got_types.tolist() == seq_types.tolist()
        pairs.append(pair)
    check("pair logits", model.logits(pairs), GOLDEN["enc.cross.logits"].reshape(len(pairs), -1),
          max_error, pooled_cosine)
