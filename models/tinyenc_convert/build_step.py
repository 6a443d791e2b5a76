"""The test build steps' conversion (tests/models/use, tests/models/kwt):
a model file per outtype, rewritten only when missing or older than its
inputs or this package's code, through a temporary file so that an
interrupted step never leaves a partial model. Standard library only."""

import os


def convert_stale(convert, source, inputs, out_dir, prefix, outtypes):
    """convert(source, path, outtype) for each OUT_DIR/<prefix>-<outtype>.gguf
    that is missing or older than the newest of `inputs` (paths) and the
    package's modules."""
    package = os.path.dirname(os.path.abspath(__file__))
    inputs = list(inputs) + [os.path.join(package, name) for name in os.listdir(package)
                             if name.endswith(".py")]
    newest = max(os.path.getmtime(path) for path in inputs)
    for outtype in outtypes:
        path = os.path.join(out_dir, f"{prefix}-{outtype}.gguf")
        if not os.path.exists(path) or os.path.getmtime(path) < newest:
            convert(source, path + ".tmp", outtype)
            os.replace(path + ".tmp", path)
