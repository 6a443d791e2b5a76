"""tinyenc's Python writers: GGUF files for the runtime (docs/FORMAT.md).

Modules, each importing only ones listed before it:

  gguf_types          GGUF value types, llama.cpp token types (standard library)
  ggml_quants         ggml weight types in numpy: F16 bits, Q8_0 and Q4_0 quantizers
  gguf_writer         GGUFWriter: typed key/values, then tensors
  wordpiece_keys      keys of a `bert` (WordPiece) vocabulary (standard library)
  sentencepiece_keys  keys of a `use_unigram` vocabulary (standard library)
  encoder_gguf        EncoderParams, write_encoder_gguf(): an encoder's keys and
                      tensors, shared by the writers below; their report and exit
  hf                  Hugging Face BERT checkpoints      (models/convert_hf.py)
  use_lite            USE-lite's TF.js graph model        (models/convert_tfjs_use.py)
  random_bert         random-weight BERTs of any shape    (models/make_random_bert.py)
  tflite_reader       a .tflite flatbuffer's graph (python3-flatbuffers)
  kwt_tflite          the Keyword Transformer's TFLite graph, audio front end
                      included                           (models/convert_tflite_kwt.py)
  build_step          the test build steps' convert-when-stale (standard library)

The scripts named run each module's main(). They sit next to this folder, so
Python finds the package by itself; code elsewhere (the test build steps,
tests/simd/golden/make_golden.py) runs with PYTHONPATH=models, which meson
sets for its build steps. Needs only the standard library and numpy (torch
only for a pytorch_model.bin, python3-flatbuffers for a .tflite).
"""
