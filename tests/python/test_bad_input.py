"""Bad input raises a Python exception naming what is wrong (the runtime's
message where the runtime checks it), never a crash."""
import numpy as np
import pytest

import tinyenc


@pytest.fixture(scope="module")
def tiny(golden_models):
    return tinyenc.Model(golden_models / "tiny-q8_0.gguf")


def test_a_missing_file_is_the_runtimes_io_error(tmp_path):
    path = tmp_path / "absent.gguf"
    with pytest.raises(tinyenc.Error, match="No such file") as raised:
        tinyenc.Model(path)
    assert str(path) in str(raised.value) and raised.value.code == "i/o error"
    assert isinstance(raised.value, RuntimeError)


def test_a_path_with_a_nul_byte(golden_models):
    # Cut at the NUL, this path would open tiny-f32.gguf itself.
    with pytest.raises(ValueError, match="NUL"):
        tinyenc.Model(str(golden_models / "tiny-f32.gguf") + "\0.txt")


def test_a_file_that_is_not_gguf(tmp_path):
    path = tmp_path / "text.gguf"
    path.write_bytes(b"not a model at all, just some bytes")
    with pytest.raises(tinyenc.Error) as raised:
        tinyenc.Model(path)
    assert raised.value.code == "bad magic"


def test_tokenizing_without_a_tokenizer_is_the_runtimes_error(golden_models):
    features = tinyenc.Model(golden_models / "features-f32.gguf")
    with pytest.raises(tinyenc.Error, match="tokenizer.ggml.model"):
        features.tokenize("hello")
    with pytest.raises(tinyenc.Error, match="tokenizer.ggml.model"):
        features.embed(["hello"])


@pytest.mark.parametrize("text", ["\ud800 lone surrogate", b"caf\xe9 in Latin-1"])
def test_text_that_is_not_utf8(tiny, text):
    with pytest.raises(ValueError, match="item 1 is not valid UTF-8"):
        tiny.embed(["fine", text])
    with pytest.raises(ValueError, match="not valid UTF-8"):
        tiny.tokenize(text)


def test_a_batch_mixing_kinds(tiny):
    with pytest.raises(TypeError, match="item 0 is text, item 1 is token ids"):
        tiny.embed(["the", [2, 5, 3]])
    with pytest.raises(TypeError, match="item 1 is a dict"):
        tiny.embed(["the", {}])
    with pytest.raises(TypeError, match="item 0 is a int"):
        tiny.embed([2, 5, 3])  # ids not wrapped in a sequence


def test_an_empty_batch(tiny):
    with pytest.raises(ValueError, match="the batch is empty"):
        tiny.embed([])


def test_ids_the_runtime_refuses(tiny):
    with pytest.raises(tinyenc.Error, match="id 300 is outside the vocabulary of 300") as raised:
        tiny.embed([[2, 300, 3]])
    assert raised.value.code == "token out of range"
    with pytest.raises(tinyenc.Error, match="type id 2; the model has 2 types"):
        tiny.embed([[2, 5, 3]], type_ids=[[0, 0, 2]])
    with pytest.raises(tinyenc.Error, match="1 to 128"):
        tiny.embed([np.arange(129) % 300])
    with pytest.raises(ValueError, match="outside int32"):
        tiny.embed([[2, 2**32 + 5, 3]])


def test_options_the_runtime_has_no_name_for(tiny):
    with pytest.raises(ValueError, match="unknown pooling 'max'"):
        tiny.embed(["the"], pooling="max")
    with pytest.raises(tinyenc.Error, match="pooling is none"):
        tiny.embed(["the"], pooling="none")


def test_logits_of_a_model_without_a_classifier(golden_models):
    model = tinyenc.Model(golden_models / "widen-f32.gguf")
    assert model.labels == 0
    with pytest.raises(tinyenc.Error, match="no classifier head"):
        model.logits(["the"])


def test_pairs_the_package_or_the_runtime_refuses(tiny, golden_models, use_models):
    with pytest.raises(TypeError, match="second text must be a str or bytes"):
        tiny.tokenize("the", 3)
    with pytest.raises(ValueError, match="bring their own type_ids"):
        tiny.logits([("the", "cafe")], type_ids=[[0, 0, 0, 1, 1]])
    # Pairs are WordPiece's form; USE-lite's unigram tokenizer refuses them.
    with pytest.raises(tinyenc.Error, match="WordPiece"):
        tinyenc.Model(use_models / "use-f32.gguf").tokenize("a", "b")


def test_the_other_kind_of_classifier(tiny, golden_models):
    token_classifier = tinyenc.Model(golden_models / "token_cls-f32.gguf")
    with pytest.raises(ValueError, match="token classifier: token_logits"):
        token_classifier.logits(["the"])
    with pytest.raises(ValueError, match="no token classifier"):
        tiny.token_logits("the")
