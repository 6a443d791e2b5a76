// Per-target multi-head attention. Queries go in blocks of kAttentionQueryBlock rows:
// their scores against every key (one MatMul with K as the weight matrix),
// a row softmax, then one pass over V accumulating all rows of the block.
// Scratch is kAttentionQueryBlock * seq floats whatever the number of heads, so long
// sequences fit small memories (no seq x seq matrix).

#if defined(TINYENC_SIMD_ATTENTION_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TINYENC_SIMD_ATTENTION_INL_H_
#undef TINYENC_SIMD_ATTENTION_INL_H_
#else
#define TINYENC_SIMD_ATTENTION_INL_H_
#endif

#include "hwy/highway.h"
#include "simd/attention.h"
#include "simd/f32_m_profile.h"
#include "simd/matmul-inl.h"
#include "simd/softmax-inl.h"

HWY_BEFORE_NAMESPACE();
namespace tinyenc {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// out[r] = sum_j p[r][j] * v_j over `seq` V rows of `cols` values, for kRows
// rows of probabilities (row stride seq).
template <size_t kRows>
HWY_INLINE void WeightedSumOfRows(const float* HWY_RESTRICT p, size_t seq,
                                  const float* HWY_RESTRICT v, size_t v_stride, size_t cols,
                                  float* HWY_RESTRICT out, size_t out_stride) {
#ifdef TINYENC_F32_M_PROFILE
  WeightedSumOfRowsMProfile<kRows>(p, seq, v, v_stride, cols, out, out_stride);
#else
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  const float* HWY_RESTRICT p0 = p;
  const float* HWY_RESTRICT p1 = p + (kRows > 1 ? seq : 0);
  const float* HWY_RESTRICT p2 = p + (kRows > 2 ? 2 * seq : 0);
  const float* HWY_RESTRICT p3 = p + (kRows > 3 ? 3 * seq : 0);
  size_t c = 0;
  for (; c + lanes <= cols; c += lanes) {
    auto o0 = hn::Zero(d), o1 = hn::Zero(d), o2 = hn::Zero(d), o3 = hn::Zero(d);
    for (size_t j = 0; j < seq; ++j) {
      const auto vj = hn::LoadU(d, v + j * v_stride + c);
      o0 = hn::MulAdd(hn::Set(d, p0[j]), vj, o0);
      if constexpr (kRows > 1) o1 = hn::MulAdd(hn::Set(d, p1[j]), vj, o1);
      if constexpr (kRows > 2) o2 = hn::MulAdd(hn::Set(d, p2[j]), vj, o2);
      if constexpr (kRows > 3) o3 = hn::MulAdd(hn::Set(d, p3[j]), vj, o3);
    }
    hn::StoreU(o0, d, out + c);
    if constexpr (kRows > 1) hn::StoreU(o1, d, out + out_stride + c);
    if constexpr (kRows > 2) hn::StoreU(o2, d, out + 2 * out_stride + c);
    if constexpr (kRows > 3) hn::StoreU(o3, d, out + 3 * out_stride + c);
  }
  for (; c < cols; ++c) {
    for (size_t r = 0; r < kRows; ++r) {
      float sum = 0.0f;
      for (size_t j = 0; j < seq; ++j) sum += p[r * seq + j] * v[j * v_stride + c];
      out[r * out_stride + c] = sum;
    }
  }
#endif
}

// Head `h` of the attention for `queries` query rows (q and out at the
// first) against all shape.seq keys: each query's outputs depend on its own
// row and that head's K and V columns only, so heads can run on different
// threads, each with its own scratch of kAttentionQueryBlock * seq floats,
// and the encoder can take the queries a tile of rows at a time.
inline void AttentionHead(const float* q, const float* k, const float* v,
                          const AttentionShape& shape, size_t queries, size_t h, float scale,
                          float* out, float* HWY_RESTRICT scores) {
  const size_t seq = shape.seq, dim = shape.head_dim;
  const float* q_head = q + h * dim;
  const float* k_head = k + h * dim;
  const float* v_head = v + h * dim;
  float* out_head = out + h * dim;
  for (size_t i = 0; i < queries; i += kAttentionQueryBlock) {
    const size_t rows = queries - i < kAttentionQueryBlock ? queries - i : kAttentionQueryBlock;
    MatMulFloat(q_head + i * shape.q_stride, shape.q_stride, rows, k_head, shape.k_stride, seq,
                dim, nullptr, scores, seq);
    Softmax(scores, rows, seq, scale, nullptr);
    float* out_rows = out_head + i * shape.out_stride;
    static_assert(kAttentionQueryBlock == 4, "the cases below cover 1..4 rows");
    switch (rows) {
      case 4:
        WeightedSumOfRows<4>(scores, seq, v_head, shape.v_stride, dim, out_rows, shape.out_stride);
        break;
      case 3:
        WeightedSumOfRows<3>(scores, seq, v_head, shape.v_stride, dim, out_rows, shape.out_stride);
        break;
      case 2:
        WeightedSumOfRows<2>(scores, seq, v_head, shape.v_stride, dim, out_rows, shape.out_stride);
        break;
      default:
        WeightedSumOfRows<1>(scores, seq, v_head, shape.v_stride, dim, out_rows, shape.out_stride);
        break;
    }
  }
}

// Assumes the public Attention's checks passed; scratch holds
// kAttentionQueryBlock * seq floats.
inline void Attention(const float* q, const float* k, const float* v,
                      const AttentionShape& shape, float scale, float* out, void* scratch) {
  for (size_t h = 0; h < shape.heads; ++h) {
    AttentionHead(q, k, v, shape, shape.seq, h, scale, out, static_cast<float*>(scratch));
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace tinyenc
HWY_AFTER_NAMESPACE();

#endif  // TINYENC_SIMD_ATTENTION_INL_H_
