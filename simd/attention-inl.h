// Per-target multi-head attention, a block of queries at a time: their
// scores against every key, a softmax, then one pass over V accumulating all
// queries of the block. Scratch is AttentionScratchBytes(seq, head_dim)
// whatever the number of heads, so long sequences fit small memories (no seq
// x seq matrix).

#if defined(TINYENC_SIMD_ATTENTION_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TINYENC_SIMD_ATTENTION_INL_H_
#undef TINYENC_SIMD_ATTENTION_INL_H_
#else
#define TINYENC_SIMD_ATTENTION_INL_H_
#endif

#include <cfloat>
#include <cstddef>

#include "hwy/highway.h"
#include "simd/attention.h"
#include "simd/exp-inl.h"
#include "simd/f32_m_profile.h"
#include "simd/matmul-inl.h"
#include "simd/softmax-inl.h"

HWY_BEFORE_NAMESPACE();
namespace tinyenc {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#ifdef TINYENC_F32_M_PROFILE
// Cortex-M: rows of scores. Queries go four at a time: their scores against
// every key (one MatMul with K as the weight matrix, the board's dot-product
// tiles), a row softmax, then one pass over V for the four rows. Highway's
// targets there (EMU128, SCALAR) would run the lane loops below lane by lane.
constexpr size_t kScoreRows = 4;

inline void AttentionHead(const float* q, const float* k, const float* v,
                          const AttentionShape& shape, size_t queries, size_t h, float scale,
                          float* out, float* HWY_RESTRICT scratch) {
  const size_t seq = shape.seq, dim = shape.head_dim;
  const float* q_head = q + h * dim;
  const float* k_head = k + h * dim;
  const float* v_head = v + h * dim;
  float* out_head = out + h * dim;
  for (size_t i = 0; i < queries; i += kScoreRows) {
    const size_t rows = queries - i < kScoreRows ? queries - i : kScoreRows;
    MatMulFloat(q_head + i * shape.q_stride, shape.q_stride, rows, k_head, shape.k_stride, seq,
                dim, nullptr, scratch, seq);
    Softmax(scratch, rows, seq, scale, nullptr);
    float* out_rows = out_head + i * shape.out_stride;
    WithRowCount<kScoreRows>(rows, [&](auto rows_constant) {
      WeightedSumOfRowsMProfile<decltype(rows_constant)::value>(
          scratch, seq, v_head, shape.v_stride, dim, out_rows, shape.out_stride);
    });
  }
}

#else
// Queries in lanes. A block of kAttentionQueryBlock queries is transposed
// (q_t[c][r], its columns side by side), so a vector holds one column of a
// group of queries: Q.K^T is then a broadcast of each key value times that
// vector, with no sums across lanes (at head_dim 32 a row tile's sums across
// lanes cost as much as its products), and the softmax runs down the keys in
// every lane at once. Each query's lane sums its products in the same order
// whichever block or lane it is in, so tiles and threads agree bit for bit.
using QueryTag = hn::CappedTag<float, kAttentionQueryBlock>;

// Columns of a query side by side in Q.K^T's vectors: two where a vector holds
// 16 floats (AVX-512) against a block of 8 queries. Lanes 2r and 2r + 1 then
// take columns c and c + 1 of query r (q_t pairs its columns so), a key's two
// values are one 64-bit broadcast, and each query's two lanes are added at the
// end: full-width products instead of half-width ones. An odd head_dim's last
// column stays alone in q_t (kAttentionQueryBlock floats) and is added last.
#undef TINYENC_PAIRED_COLUMNS  // this header is compiled once per target
#if HWY_MAX_BYTES == 64 && !HWY_HAVE_SCALABLE
#define TINYENC_PAIRED_COLUMNS 1
constexpr size_t kPairedColumns = 2;
#else
constexpr size_t kPairedColumns = 1;
#endif
using ColumnTag = hn::CappedTag<float, kAttentionQueryBlock * kPairedColumns>;

// Where query r's column c goes in q_t (dim columns).
inline size_t TransposedIndex(size_t r, size_t c, size_t dim) {
  constexpr size_t kB = kAttentionQueryBlock, kP = kPairedColumns;
  return c / kP * kP * kB + (c < dim / kP * kP ? kP * r + c % kP : r);
}

// scores[j][lane] = q_lane . k_{j} for kKeys keys from k, over q_t's columns
// (TransposedIndex's layout).
template <size_t kKeys>
HWY_INLINE void KeyScores(const float* HWY_RESTRICT q_t, size_t dim, const float* HWY_RESTRICT k,
                          size_t k_stride, float* HWY_RESTRICT scores) {
  const ColumnTag d;
  constexpr size_t kB = kAttentionQueryBlock, kP = kPairedColumns;
  static_assert(kKeys >= 1 && kKeys <= 8, "eight accumulators at most");
  auto a0 = hn::Zero(d), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  const float* HWY_RESTRICT k0 = k;
  const float* HWY_RESTRICT k1 = k + (kKeys > 1 ? 1 : 0) * k_stride;
  const float* HWY_RESTRICT k2 = k + (kKeys > 2 ? 2 : 0) * k_stride;
  const float* HWY_RESTRICT k3 = k + (kKeys > 3 ? 3 : 0) * k_stride;
  const float* HWY_RESTRICT k4 = k + (kKeys > 4 ? 4 : 0) * k_stride;
  const float* HWY_RESTRICT k5 = k + (kKeys > 5 ? 5 : 0) * k_stride;
  const float* HWY_RESTRICT k6 = k + (kKeys > 6 ? 6 : 0) * k_stride;
  const float* HWY_RESTRICT k7 = k + (kKeys > 7 ? 7 : 0) * k_stride;
  // Key values c.. of a key row: one broadcast, or a pair's.
  const auto key = [d](const float* HWY_RESTRICT row, size_t c) HWY_ATTR {
#ifdef TINYENC_PAIRED_COLUMNS
    const hn::Repartition<uint64_t, decltype(d)> d64;
    uint64_t pair;
    std::memcpy(&pair, row + c, sizeof(pair));
    return hn::BitCast(d, hn::Set(d64, pair));
#else
    return hn::Set(d, row[c]);
#endif
  };
  const size_t paired = dim / kP * kP;
  for (size_t c = 0; c < paired; c += kP) {
    const auto column = hn::LoadU(d, q_t + c * kB);
    a0 = hn::MulAdd(key(k0, c), column, a0);
    if constexpr (kKeys > 1) a1 = hn::MulAdd(key(k1, c), column, a1);
    if constexpr (kKeys > 2) a2 = hn::MulAdd(key(k2, c), column, a2);
    if constexpr (kKeys > 3) a3 = hn::MulAdd(key(k3, c), column, a3);
    if constexpr (kKeys > 4) a4 = hn::MulAdd(key(k4, c), column, a4);
    if constexpr (kKeys > 5) a5 = hn::MulAdd(key(k5, c), column, a5);
    if constexpr (kKeys > 6) a6 = hn::MulAdd(key(k6, c), column, a6);
    if constexpr (kKeys > 7) a7 = hn::MulAdd(key(k7, c), column, a7);
  }
#ifdef TINYENC_PAIRED_COLUMNS
  {
    // Keys j and j + 1: their queries' lane pairs added, side by side.
    const auto store2 = [d](auto first, auto second, float* HWY_RESTRICT out) HWY_ATTR {
      hn::StoreU(hn::Add(hn::ConcatEven(d, second, first), hn::ConcatOdd(d, second, first)), d,
                 out);
    };
    if constexpr (kKeys == 1) {
      const QueryTag dq;
      hn::StoreU(hn::LowerHalf(dq, hn::Add(hn::ConcatEven(d, a0, a0), hn::ConcatOdd(d, a0, a0))),
                 dq, scores);
    } else {
      static_assert(kKeys % 2 == 0, "keys in pairs");
      store2(a0, a1, scores);
      if constexpr (kKeys > 2) store2(a2, a3, scores + 2 * kB);
      if constexpr (kKeys > 4) store2(a4, a5, scores + 4 * kB);
      if constexpr (kKeys > 6) store2(a6, a7, scores + 6 * kB);
    }
    if (paired == dim) return;
    const QueryTag dq;  // an odd dim's last column
    const auto column = hn::LoadU(dq, q_t + paired * kB);
    const float* const rows[8] = {k0, k1, k2, k3, k4, k5, k6, k7};
    for (size_t j = 0; j < kKeys; ++j) {
      float* HWY_RESTRICT row_scores = scores + j * kB;
      hn::StoreU(hn::MulAdd(hn::Set(dq, rows[j][paired]), column, hn::LoadU(dq, row_scores)), dq,
                 row_scores);
    }
  }
#else
  {
    hn::StoreU(a0, d, scores);
    if constexpr (kKeys > 1) hn::StoreU(a1, d, scores + 1 * kB);
    if constexpr (kKeys > 2) hn::StoreU(a2, d, scores + 2 * kB);
    if constexpr (kKeys > 3) hn::StoreU(a3, d, scores + 3 * kB);
    if constexpr (kKeys > 4) hn::StoreU(a4, d, scores + 4 * kB);
    if constexpr (kKeys > 5) hn::StoreU(a5, d, scores + 5 * kB);
    if constexpr (kKeys > 6) hn::StoreU(a6, d, scores + 6 * kB);
    if constexpr (kKeys > 7) hn::StoreU(a7, d, scores + 7 * kB);
  }
#endif
}

// Two keys' lanes of the block's queries (paired) folded into one lane each
// by Op, and a query vector spread over two keys' lanes; identities unpaired.
struct MaxOp {
  template <class V>
  static V Apply(V a, V b) {
    return hn::Max(a, b);
  }
};
struct AddOp {
  template <class V>
  static V Apply(V a, V b) {
    return hn::Add(a, b);
  }
};
template <class Op>
HWY_INLINE hn::Vec<QueryTag> OfBothKeys(hn::Vec<ColumnTag> v) {
#ifdef TINYENC_PAIRED_COLUMNS
  const QueryTag d;
  return Op::Apply(hn::LowerHalf(d, v), hn::UpperHalf(d, v));
#else
  return v;
#endif
}
HWY_INLINE hn::Vec<ColumnTag> ForBothKeys(hn::Vec<QueryTag> v) {
#ifdef TINYENC_PAIRED_COLUMNS
  return hn::Combine(ColumnTag(), v, v);
#else
  return v;
#endif
}

// One vector of queries (lanes from q_t and scores): their scores against
// all seq keys, then per lane exp(score * scale - max) in place and 1 / sum
// of those in inv. The max starts at -FLT_MAX as in Softmax; sum >= 1 (the
// max's own exp(0)).
HWY_INLINE void ExpScoresOfLanes(const float* HWY_RESTRICT q_t, size_t dim,
                                 const float* HWY_RESTRICT k, size_t k_stride, size_t seq,
                                 float scale, float* HWY_RESTRICT scores,
                                 float* HWY_RESTRICT inv) {
  constexpr size_t kB = kAttentionQueryBlock;
  size_t j = 0;
  for (; j + 8 <= seq; j += 8) KeyScores<8>(q_t, dim, k + j * k_stride, k_stride, scores + j * kB);
  for (; j < seq; ++j) KeyScores<1>(q_t, dim, k + j * k_stride, k_stride, scores + j * kB);
  // Whole vectors take kPairedColumns keys; an odd seq's last key is alone.
  const ColumnTag dv;
  const QueryTag d;
  const size_t whole = seq / kPairedColumns * kPairedColumns;
  // The scores of key j.. in place, scaled, for a vector of tag t.
  const auto scaled = [&](auto t, size_t j) HWY_ATTR {
    const auto z = hn::Mul(hn::LoadU(t, scores + j * kB), hn::Set(t, scale));
    hn::StoreU(z, t, scores + j * kB);
    return z;
  };
  // Their exps below the queries' max, in place.
  const auto exps = [&](auto t, size_t j, decltype(hn::Zero(t)) max) HWY_ATTR {
    const auto e = ExpNonPositive(t, hn::Sub(hn::LoadU(t, scores + j * kB), max));
    hn::StoreU(e, t, scores + j * kB);
    return e;
  };
  auto max_v = hn::Set(dv, -FLT_MAX);
  for (j = 0; j < whole; j += kPairedColumns) max_v = hn::Max(max_v, scaled(dv, j));
  auto max = OfBothKeys<MaxOp>(max_v);
  for (; j < seq; ++j) max = hn::Max(max, scaled(d, j));
  const auto max_both = ForBothKeys(max);
  auto sum_v = hn::Zero(dv);
  for (j = 0; j < whole; j += kPairedColumns) sum_v = hn::Add(sum_v, exps(dv, j, max_both));
  auto sum = OfBothKeys<AddOp>(sum_v);
  for (; j < seq; ++j) sum = hn::Add(sum, exps(d, j, max));
  hn::StoreU(hn::Div(hn::Set(d, 1.0f), sum), d, inv);
}

// out[r][c, c + kVecs vectors) = inv[r] * sum_j e[j][r] * v_j[c...] over
// `seq` V rows, for kRows queries whose exps sit side by side (e[j][r] at e +
// j * kAttentionQueryBlock + r): each exp broadcast once for kVecs vectors.
template <size_t kRows, size_t kVecs>
HWY_INLINE void WeightedSumStep(const float* HWY_RESTRICT e, const float* HWY_RESTRICT inv,
                                size_t seq, const float* HWY_RESTRICT v, size_t v_stride,
                                float* HWY_RESTRICT out, size_t out_stride) {
  static_assert(kRows >= 1 && kRows <= 4 && (kVecs == 1 || kVecs == 2), "8 accumulators");
  constexpr size_t kB = kAttentionQueryBlock;
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  using V = decltype(hn::Zero(d));
  V o0 = hn::Zero(d), o1 = o0, o2 = o0, o3 = o0;  // the first vector of rows 0-3
  V p0 = o0, p1 = o0, p2 = o0, p3 = o0;           // the second
  // Row r's accumulators (first, second) += its exp times V's vectors a, b.
  const auto mac = [](float weight, V a, V b, V& first, V& second) HWY_ATTR {
    const auto w = hn::Set(hn::ScalableTag<float>(), weight);
    first = hn::MulAdd(w, a, first);
    if constexpr (kVecs > 1) second = hn::MulAdd(w, b, second);
  };
  for (size_t j = 0; j < seq; ++j) {
    const float* HWY_RESTRICT vj = v + j * v_stride;
    const V va = hn::LoadU(d, vj);
    const V vb = kVecs > 1 ? hn::LoadU(d, vj + lanes) : va;
    const float* ej = e + j * kB;
    mac(ej[0], va, vb, o0, p0);
    if constexpr (kRows > 1) mac(ej[1], va, vb, o1, p1);
    if constexpr (kRows > 2) mac(ej[2], va, vb, o2, p2);
    if constexpr (kRows > 3) mac(ej[3], va, vb, o3, p3);
  }
  const auto store = [&](size_t r, V first, V second) HWY_ATTR {
    const auto scale = hn::Set(d, inv[r]);
    hn::StoreU(hn::Mul(first, scale), d, out + r * out_stride);
    if constexpr (kVecs > 1) hn::StoreU(hn::Mul(second, scale), d, out + r * out_stride + lanes);
  };
  store(0, o0, p0);
  if constexpr (kRows > 1) store(1, o1, p1);
  if constexpr (kRows > 2) store(2, o2, p2);
  if constexpr (kRows > 3) store(3, o3, p3);
}

// WeightedSumStep over `cols` values: two vectors at a time, then one, then
// the last cols % lanes values one by one.
template <size_t kRows>
HWY_INLINE void WeightedSumOfRows(const float* HWY_RESTRICT e, const float* HWY_RESTRICT inv,
                                  size_t seq, const float* HWY_RESTRICT v, size_t v_stride,
                                  size_t cols, float* HWY_RESTRICT out, size_t out_stride) {
  constexpr size_t kB = kAttentionQueryBlock;
  const size_t lanes = hn::Lanes(hn::ScalableTag<float>());
  size_t c = 0;
  for (; c + 2 * lanes <= cols; c += 2 * lanes) {
    WeightedSumStep<kRows, 2>(e, inv, seq, v + c, v_stride, out + c, out_stride);
  }
  for (; c + lanes <= cols; c += lanes) {
    WeightedSumStep<kRows, 1>(e, inv, seq, v + c, v_stride, out + c, out_stride);
  }
  for (; c < cols; ++c) {
    for (size_t r = 0; r < kRows; ++r) {
      float sum = 0.0f;
      for (size_t j = 0; j < seq; ++j) sum += e[j * kB + r] * v[j * v_stride + c];
      out[r * out_stride + c] = sum * inv[r];
    }
  }
}

// Head `h` of the attention for `queries` query rows (q and out at the
// first) against all shape.seq keys: each query's outputs depend on its own
// row and that head's K and V columns only, so heads can run on different
// threads, each with its own scratch of AttentionScratchBytes, and the
// encoder can take the queries a tile of rows at a time.
inline void AttentionHead(const float* q, const float* k, const float* v,
                          const AttentionShape& shape, size_t queries, size_t h, float scale,
                          float* out, float* HWY_RESTRICT scratch) {
  constexpr size_t kB = kAttentionQueryBlock;
  const size_t seq = shape.seq, dim = shape.head_dim;
  const float* q_head = q + h * dim;
  const float* k_head = k + h * dim;
  const float* v_head = v + h * dim;
  float* out_head = out + h * dim;
  float* HWY_RESTRICT exps = scratch;              // seq x kB
  float* HWY_RESTRICT q_t = scratch + seq * kB;    // dim x kB
  const size_t lanes = hn::Lanes(QueryTag());
  for (size_t i = 0; i < queries; i += kB) {
    const size_t rows = queries - i < kB ? queries - i : kB;
    // Lanes past the last query hold zeros: their scores are finite and unused.
    for (size_t c = 0; c < dim; ++c) {
      for (size_t r = 0; r < kB; ++r) {
        q_t[TransposedIndex(r, c, dim)] = r < rows ? q_head[(i + r) * shape.q_stride + c] : 0.0f;
      }
    }
    HWY_ALIGN float inv[kB];
    for (size_t lane = 0; lane < rows; lane += lanes) {
      ExpScoresOfLanes(q_t + lane, dim, k_head, shape.k_stride, seq, scale, exps + lane,
                       inv + lane);
    }
    float* out_rows = out_head + i * shape.out_stride;
    for (size_t r = 0; r < rows; r += 4) {
      const float* e = exps + r;
      float* o = out_rows + r * shape.out_stride;
      WithRowCount<4>(rows - r < 4 ? rows - r : 4, [&](auto rows_constant) {
        WeightedSumOfRows<decltype(rows_constant)::value>(e, inv + r, seq, v_head,
                                                          shape.v_stride, dim, o,
                                                          shape.out_stride);
      });
    }
  }
}
#endif  // TINYENC_F32_M_PROFILE

// Assumes the public Attention's checks passed; scratch holds
// AttentionScratchBytes(shape.seq, shape.head_dim).
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
