#!/usr/bin/python3
"""Converts a Hugging Face BERT checkpoint into a GGUF v3 file for tinyenc.

The code is tinyenc_convert/hf.py; --help lists the options."""

from tinyenc_convert.hf import main

if __name__ == "__main__":
    main()
