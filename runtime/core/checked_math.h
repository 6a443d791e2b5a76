// Sizes computed from values nobody vouches for (a file's shapes, a text's
// length, a caller's counts). On 32-bit targets (armhf, Cortex-M) a size_t
// product of two such values wraps to a small number that a buffer check then
// accepts; a CheckedSize instead remembers that it overflowed and reads as
// SIZE_MAX, a size no buffer can have, so every "is the buffer big enough"
// comparison fails and callers that must report can test overflowed(). The
// one helper for this, used wherever such sizes are multiplied or added.
#ifndef TINYENC_RUNTIME_CORE_CHECKED_MATH_H_
#define TINYENC_RUNTIME_CORE_CHECKED_MATH_H_

#include <cstddef>
#include <cstdint>

namespace tinyenc {

class CheckedSize {
 public:
  constexpr CheckedSize(size_t value = 0) : value_(value) {}  // NOLINT: implicit on purpose

  CheckedSize operator*(CheckedSize other) const {
    CheckedSize out;
    out.overflowed_ = overflowed_ || other.overflowed_ ||
                      __builtin_mul_overflow(value_, other.value_, &out.value_);
    return out;
  }
  CheckedSize operator+(CheckedSize other) const {
    CheckedSize out;
    out.overflowed_ = overflowed_ || other.overflowed_ ||
                      __builtin_add_overflow(value_, other.value_, &out.value_);
    return out;
  }
  CheckedSize& operator*=(CheckedSize other) { return *this = *this * other; }
  CheckedSize& operator+=(CheckedSize other) { return *this = *this + other; }

  bool overflowed() const { return overflowed_; }
  // SIZE_MAX once overflowed.
  size_t value() const { return overflowed_ ? SIZE_MAX : value_; }

 private:
  size_t value_ = 0;
  bool overflowed_ = false;
};

}  // namespace tinyenc

#endif  // TINYENC_RUNTIME_CORE_CHECKED_MATH_H_
