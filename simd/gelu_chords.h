// GELU's tanh form as chords of a table, for the M4's FPU where its exp and
// division take about 58 instructions a value: values a matmul codes next
// (I8's int16 rows, Q8_0's blocks) lose far more to their weights' 8-bit
// codes than to the chords' error, and a chord takes about 13.
//
// The table is built at compile time in double (ExpOfDouble below), so it
// sits in flash: 1024 entries of 8 bytes.
#ifndef TINYENC_SIMD_GELU_CHORDS_H_
#define TINYENC_SIMD_GELU_CHORDS_H_

#include <array>
#include <cstddef>

namespace tinyenc {

// exp(x) for |x| < 64, to about 1e-14 relative: x halved into [-0.5, 0.5],
// 20 terms of the series, then squared back.
constexpr double ExpOfDouble(double x) {
  int halvings = 0;
  for (; x > 0.5 || x < -0.5; ++halvings) x /= 2;
  double term = 1.0, sum = 1.0;
  for (int n = 1; n < 20; ++n) {
    term *= x / n;
    sum += term;
  }
  for (; halvings > 0; --halvings) sum *= sum;
  return sum;
}

// x / (1 + exp(-2u)), u = sqrt(2 / pi) (x + 0.044715 x^3): 0.5 x (1 + tanh(u)).
constexpr double GeluTanhOfDouble(double x) {
  const double u = 0.7978845608028654 * (x + 0.044715 * x * x * x);
  return x / (1.0 + ExpOfDouble(-2.0 * u));
}

// y = intercept + slope * x on one piece.
struct GeluChord {
  float intercept;
  float slope;
};

// Entry 0 is 0 (x below -kGeluChordLimit, where GELU is above -2.3e-7),
// the last is x itself (x at or above the limit: off by under 2.3e-7), and
// the 1022 between are the chords over equal pieces of [-limit, limit], at
// most 9.6e-6 from GELU (h^2 / 8 times |GELU''| <= 0.8, h = 10 / 1022).
constexpr size_t kGeluChordCount = 1024;
constexpr double kGeluChordLimit = 5.0;
constexpr double kGeluChordWidth = 2 * kGeluChordLimit / (kGeluChordCount - 2);
// Piece i covers [-limit + (i - 1) h, -limit + i h): the integer part of
// x * kGeluChordScale + kGeluChordOffset.
constexpr float kGeluChordScale = static_cast<float>(1.0 / kGeluChordWidth);
constexpr float kGeluChordOffset = static_cast<float>(kGeluChordLimit / kGeluChordWidth + 1.0);

constexpr std::array<GeluChord, kGeluChordCount> MakeGeluChords() {
  std::array<GeluChord, kGeluChordCount> chords{};
  chords[0] = {0.0f, 0.0f};
  chords[kGeluChordCount - 1] = {0.0f, 1.0f};
  for (size_t i = 1; i + 1 < kGeluChordCount; ++i) {
    const double x0 = -kGeluChordLimit + static_cast<double>(i - 1) * kGeluChordWidth;
    const double y0 = GeluTanhOfDouble(x0);
    const double slope = (GeluTanhOfDouble(x0 + kGeluChordWidth) - y0) / kGeluChordWidth;
    chords[i] = {static_cast<float>(y0 - slope * x0), static_cast<float>(slope)};
  }
  return chords;
}
inline constexpr std::array<GeluChord, kGeluChordCount> kGeluChords = MakeGeluChords();

}  // namespace tinyenc

#endif  // TINYENC_SIMD_GELU_CHORDS_H_
