#!/usr/bin/python3
"""Writes a random-weight BERT GGUF file of a given shape, no checkpoint needed.

The code is tinyenc_convert/random_bert.py; --help lists the options."""

from tinyenc_convert.random_bert import main

if __name__ == "__main__":
    main()
