"""The package's API on the golden models: the configuration it reports
(against the checkpoints' config.json), text through the tokenizer, threads,
the GIL released while encoding, the weights mapped in place."""
import json
import threading
import time

import numpy as np
import pytest

import tinyenc
from conftest import SOURCE_ROOT


@pytest.fixture(scope="module")
def tiny(golden_models):
    return tinyenc.Model(golden_models / "tiny-q8_0.gguf")


def test_config_is_the_checkpoints(tiny):
    config = json.loads((SOURCE_ROOT / "tests/models/golden/tiny/config.json").read_text())
    assert tiny.width == tiny.embedding_width == config["hidden_size"]
    assert tiny.layers == config["num_hidden_layers"]
    assert tiny.context_length == config["max_position_embeddings"]
    assert tiny.vocab_size == config["vocab_size"]
    assert tiny.token_types == config["type_vocab_size"]
    assert tiny.labels == config["num_labels"]
    # Hugging Face's "gelu" is the erf form.
    assert (tiny.input, tiny.activation, tiny.class_token) == ("tokens", "gelu_erf", False)


def test_tokenize_reads_the_vocabulary(tiny):
    # tests/models/golden/tiny/vocab.txt: id = line number. Lower-cased and
    # accent-stripped as BertTokenizer does, "Café" is "cafe".
    vocab = (SOURCE_ROOT / "tests/models/golden/tiny/vocab.txt").read_text().split("\n")
    want = [vocab.index(piece) for piece in ("[CLS]", "the", "cafe", "[SEP]")]
    ids = tiny.tokenize("The Café")
    assert ids.dtype == np.int32 and ids.tolist() == want
    assert tiny.tokenize("The Café".encode()).tolist() == want


def test_text_and_its_ids_give_the_same_outputs(tiny):
    texts = ["the cafe", "a straße the the"]
    ids = [tiny.tokenize(text) for text in texts]
    assert np.array_equal(tiny.embed(texts), tiny.embed(ids))
    assert np.array_equal(tiny.logits(texts), tiny.logits(ids))
    assert np.array_equal(tiny.hidden_states(texts[1]), tiny.hidden_states(ids[1]))
    assert tiny.hidden_states(texts[1]).shape == (len(ids[1]), tiny.width)


def test_long_text_is_cut_to_the_context_with_a_warning(tiny):
    with pytest.warns(UserWarning, match="kept the first 128"):
        ids = tiny.tokenize("the " * 300)
    cls_sep = tiny.tokenize("")
    assert len(ids) == tiny.context_length and ids[0] == cls_sep[0] and ids[-1] == cls_sep[1]


def test_batches_split_into_encodes_give_the_same_rows(tiny):
    texts = [f"the {'cafe ' * n}" for n in range(7)]
    whole = tiny.embed(texts)
    assert np.array_equal(tiny.embed(texts, batch_size=3), whole)
    assert np.array_equal(tiny.embed(texts, threads=2), whole)
    assert np.array_equal(tiny.embed(texts[2]), whole[2:3])


def test_weights_are_mapped_not_copied(golden_models):
    path = golden_models / "tiny-f32.gguf"
    model = tinyenc.Model(path)
    maps = open("/proc/self/maps").read()
    assert str(path.resolve()) in maps
    del model


def test_encoding_releases_the_gil(golden_models, tmp_path):
    """While one thread encodes a long batch, this one keeps running: with the
    GIL held for the whole Encode, it would stall for all of it."""
    model = tinyenc.Model(golden_models / "widen-f32.gguf")
    batch = [np.arange(1, model.context_length) % model.vocab_size] * 512
    start = time.perf_counter()
    model.embed(batch, batch_size=len(batch))
    encode_seconds = time.perf_counter() - start
    worker = threading.Thread(target=model.embed, args=(batch,), kwargs={"batch_size": len(batch)})
    longest_stall = 0.0
    worker.start()
    last = time.perf_counter()
    while worker.is_alive():
        now = time.perf_counter()
        longest_stall = max(longest_stall, now - last)
        last = now
    worker.join()
    print(f"one Encode {encode_seconds:.3f} s; longest stall of this thread {longest_stall:.3f} s")
    assert encode_seconds > 0.1, "the batch is too small to tell"
    assert longest_stall < encode_seconds / 2


def test_pairs_tokenize_and_truncate_as_hugging_face(tiny):
    vocab = (SOURCE_ROOT / "tests/models/golden/tiny/vocab.txt").read_text().split("\n")
    ids, types = tiny.tokenize("the cafe", "a")
    assert [vocab[i] for i in ids] == ["[CLS]", "the", "cafe", "[SEP]", "a", "[SEP]"]
    assert types.tolist() == [0, 0, 0, 0, 1, 1]
    # longest_first: the longer text gives up its last pieces first.
    with pytest.warns(UserWarning, match="cut from the longer text first"):
        ids, types = tiny.tokenize("the " * 200, "a cafe")
    assert len(ids) == tiny.context_length and ids[-3:].tolist() == tiny.tokenize("a cafe")[1:].tolist()
    assert types.sum() == 3  # "a cafe [SEP]"
    # A batch of pairs is what the pairs give one at a time.
    pairs = [("the cafe", "a"), ("a", "the the cafe")]
    assert np.array_equal(tiny.logits(pairs), np.concatenate([tiny.logits([p]) for p in pairs]))
    assert tiny.hidden_states(pairs[0]).shape == (6, tiny.width)
