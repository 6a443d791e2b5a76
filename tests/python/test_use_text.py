"""Universal Sentence Encoder lite from text, through the package: every
sentence of tests/models/use/sentences.txt gives the reference runtime's ids
and, in one embed call, its embeddings within use_text_test.cc's bounds."""
import warnings

import numpy as np

import tinyenc
from conftest import SOURCE_ROOT
from golden_file import golden_cases, read_golden

# use_text_test.cc's bounds for the F32 model from text.
MIN_COSINE = 0.99999
MAX_ABS_ERROR = 1e-5


def test_use_lite_text_to_ids_and_embeddings(use_models):
    golden = read_golden("tests/models/use/use.golden")
    names = golden_cases(golden, "use")
    texts = (SOURCE_ROOT / "tests/models/use/sentences.txt").read_text().split("\n")[:len(names)]
    model = tinyenc.Model(use_models / "use-f32.gguf")
    want_ids = [golden[f"use.{name}.ids"] for name in names]
    with warnings.catch_warnings(record=True) as cut:
        warnings.simplefilter("always")
        ids = [model.tokenize(text) for text in texts]
        got = model.embed(texts).astype(np.float64)
    differ = [text for text, got_ids, want in zip(texts, ids, want_ids)
              if got_ids.tolist() != want[:model.context_length].tolist()]
    assert not differ, f"{len(differ)} sentences give other ids, the first: {differ[0]!r}"
    # Each text longer than the context warned once in tokenize, once in embed.
    assert len(cut) == 2 * sum(len(want) > model.context_length for want in want_ids)

    want = np.stack([golden[f"use.{name}.embedding"] for name in names]).astype(np.float64)
    assert np.all(np.isfinite(got))
    cosine = np.sum(got * want, axis=1) / np.sqrt(np.sum(got * got, axis=1) * np.sum(want * want, axis=1))
    max_abs = np.max(np.abs(got - want))
    print(f"{len(texts)} sentences: min cosine {cosine.min():.9f}, max |delta| {max_abs:.3g}")
    assert cosine.min() >= MIN_COSINE
    assert max_abs <= MAX_ABS_ERROR
