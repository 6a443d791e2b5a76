// A Session runs a Model in one caller-owned arena. The arena's size comes
// from ArenaBytes() before anything runs; Init() refuses a smaller one, and
// Encode() uses no memory but the arena (no heap, no stack buffers that grow
// with the input).
//
// Sequences in a batch may have different lengths. Their tokens are packed:
// sequence b owns Rows(b) rows of the hidden states, after those of the
// sequences before it, and attends only to its own rows, so padding costs
// nothing and there are no padded rows to define.
#ifndef TINYENC_SESSION_H_
#define TINYENC_SESSION_H_

#include <cstddef>
#include <cstdint>

#include "tinyenc/model.h"
#include "tinyenc/status.h"
#include "tinyenc/task_pool.h"

namespace tinyenc {

// Arena bytes a session of `model` needs for batches of up to `max_batch`
// sequences of up to `max_rows` rows each (class token included).
// kBadSequenceLength when max_rows is 0 or beyond the model's context;
// kBatchTooLarge when the batch is out of range or the arena would not fit in
// size_t (a large model on a 32-bit target): the size is never a wrapped
// number.
// tile_rows: 0 (or at least max_rows * max_batch) runs every step over all
// rows at once, as fast as a host runs. Otherwise each layer's
// row-independent steps (Q, K and V, the attention's queries, the output
// projection, the FFN) run a tile of that many rows at a time, so their
// intermediates take tile_rows rows instead of all of them, for small
// memories; the outputs are bit-identical either way. Init takes the same
// tile_rows.
Status ArenaBytes(const Model& model, size_t max_rows, size_t max_batch, size_t* bytes,
                  size_t tile_rows = 0);

// What the arena plan saves: the planned bytes next to the sum of every
// intermediate tensor of one full batch, each in its own buffer; and the
// tile rows the plan uses: tile_rows as asked, or 0 where tiles would not make
// the arena smaller (tiles of all the rows or more; widening layers).
struct ArenaReport {
  size_t planned_bytes = 0;
  size_t unplanned_bytes = 0;
  size_t tile_rows = 0;
};
Status ReportArena(const Model& model, size_t max_rows, size_t max_batch, ArenaReport* report,
                   size_t tile_rows = 0);

constexpr size_t kSessionBytes = 1024;

class Session {
 public:
  Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Binds `model` (which must outlive the session) to `arena`. Fails with
  // kArenaTooSmall, before touching the arena, when arena_bytes is below
  // ArenaBytes(model, max_rows, max_batch, &bytes, tile_rows).
  // Each Session needs an arena of its own: Init writes a small owner tag at
  // the start of the arena and Encode checks it, so after a second Session's
  // Init with the same arena the first one's Encode fails (kInvalidArgument)
  // instead of overwriting the other's outputs. The check is cheap, not a
  // lock: it catches sharing by two Sessions' Init calls on one arena, not
  // overlapping arenas that start at different addresses, nor Encodes that
  // run concurrently.
  // A Model must not be loaded again while a Session is bound to it; if it
  // is, Encode fails with kInvalidArgument until Init is called again.
  Status Init(const Model& model, void* arena, size_t arena_bytes, size_t max_rows,
              size_t max_batch, size_t tile_rows = 0);

  // Output choices for the following Encode calls; they start as the model's.
  // kInvalidArgument (and no change) for a value outside the Pooling enum.
  Status set_pooling(Pooling pooling);
  void set_normalize(bool normalize);

  // Splits the following Encode calls' matmuls (by output columns) and
  // attention (by heads) over `pool` (tinyenc/task_pool.h has its contract;
  // tinyenc::ThreadPool is one). Outputs are bit-identical for any number of
  // threads. The struct is copied; what it points to (the pool's context)
  // must outlive every Encode that uses it. Null: the calling thread only,
  // as before any call. kInvalidArgument (and no change) for a null run or
  // 0 threads. Init sets it back to none.
  Status set_pool(const TaskPool* pool);

  // Checks every input (batch size, lengths, token and type ids, pointers)
  // before computing anything, then runs the encoder. Outputs stay valid
  // until the next Encode.
  Status Encode(const SequenceInput* inputs, size_t batch);

  // Keyword models (model.audio().sample_rate != 0): classifies one window
  // of mono PCM at the model's sample rate, model.audio().clip_samples
  // samples, 16-bit or floats in [-1, 1), through the model's audio front
  // end and encoder; Logits(0) then holds one score per label
  // (Model::Label). Needs a session of max_rows >= the model's context.
  // For a stream, `advance` is how many samples the window moved since this
  // session's last successful Listen, a multiple of audio().window_stride:
  // only the frames it brings in are computed, the others are that call's.
  // 0, an advance of a window or more, or the first Listen after Init
  // computes every frame. No allocation; float samples must be finite.
  Status Listen(const int16_t* samples, size_t count, size_t advance = 0);
  Status Listen(const float* samples, size_t count, size_t advance = 0);
  // The last Listen's features (audio().frame_count rows of
  // config().feature_length values); null before one.
  const float* Features() const;

  size_t batch() const;
  size_t Rows(size_t sequence) const;
  // Final hidden states of a sequence: Rows(sequence) x hidden_width floats.
  const float* Hidden(size_t sequence) const;
  size_t hidden_width() const;
  // Pooled (and, if a pooler exists, pooled through it; if normalizing,
  // L2-normalized) embedding: hidden_width floats. Null when pooling is none.
  const float* Embedding(size_t sequence) const;
  // Classifier logits. A sequence classifier's: label_count floats, null
  // when pooling is none. A token classifier's (tinyenc.classifier_input
  // "tokens"): Rows(sequence) x label_count floats, one row per token,
  // pooled or not. Null without a classifier.
  const float* Logits(size_t sequence) const;
  // Arena bytes the plan uses (ArenaBytes of the Init arguments).
  size_t arena_used() const;

 private:
  friend struct SessionAccess;
  alignas(8) unsigned char state_[kSessionBytes];
};

}  // namespace tinyenc

#endif  // TINYENC_SESSION_H_
