#!/usr/bin/python3
"""Converts the Keyword Transformer (KWT) from its TensorFlow Lite file into a
GGUF file for tinyenc, audio front end included.

The code is tinyenc_convert/kwt_tflite.py; --help lists the options."""

from tinyenc_convert.kwt_tflite import main

if __name__ == "__main__":
    main()
