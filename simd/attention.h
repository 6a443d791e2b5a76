// Multi-head scaled dot-product attention for one sequence.
#ifndef TINYENC_SIMD_ATTENTION_H_
#define TINYENC_SIMD_ATTENTION_H_

#include <cstddef>

#include "tinyenc/status.h"

namespace tinyenc {

// Q, K and V are [seq x (heads * head_dim)] row-major matrices whose rows may
// be strided (e.g. slices of one fused QKV buffer); head h owns columns
// [h * head_dim, (h + 1) * head_dim). For every head and query row i:
//   out[i, head h] = softmax(q_i . K_h^T * scale) . V_h
// Every query attends to every key: the encoder packs each sequence's rows
// and calls this per sequence, so there is no padding to mask.
struct AttentionShape {
  size_t seq = 0;
  size_t heads = 0;
  size_t head_dim = 0;
  size_t q_stride = 0;  // floats between consecutive rows
  size_t k_stride = 0;
  size_t v_stride = 0;
  size_t out_stride = 0;
};

// Queries processed together; the scratch holds their scores against every
// key and their head_dim values transposed.
constexpr size_t kAttentionQueryBlock = 8;

// Scratch bytes Attention needs: kAttentionQueryBlock * (seq + head_dim)
// floats, O(seq), independent of heads.
size_t AttentionScratchBytes(size_t seq, size_t head_dim);

Status Attention(const float* q, const float* k, const float* v, const AttentionShape& shape,
                 float scale, float* out, void* scratch, size_t scratch_bytes);
void AttentionRef(const float* q, const float* k, const float* v, const AttentionShape& shape,
                  float scale, float* out);

}  // namespace tinyenc

#endif  // TINYENC_SIMD_ATTENTION_H_
