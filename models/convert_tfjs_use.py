#!/usr/bin/python3
"""Converts Universal Sentence Encoder lite, the TF.js model of its npm
package, into a GGUF file for tinyenc.

The code is tinyenc_convert/use_lite.py; --help lists the options."""

from tinyenc_convert.use_lite import main

if __name__ == "__main__":
    main()
