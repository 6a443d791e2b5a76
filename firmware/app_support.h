// What the firmware apps share: the heap guard, failure reports, printing
// floats without newlib-nano's missing %f, and a stack high-water mark.
#ifndef TINYENC_FIRMWARE_APP_SUPPORT_H_
#define TINYENC_FIRMWARE_APP_SUPPORT_H_

#include <cstddef>

#include "tinyenc/status.h"

namespace firmware {

// Makes stdout unbuffered (stdio then never allocates) and stops the run
// (exit 3) if anything asks for heap memory from here on. Before main,
// newlib's stdio set-up allocates its FILE structures; that is allowed.
void CloseHeap();

// Prints "FAIL: what: message" and returns the exit code for it.
int Fail(const char* what, const tinyenc::Status& status);

// Prints " value" in fixed point with six decimals (rounding error 5e-7);
// " nan" for NaN and infinities.
void PrintFixed(float value);

// Fills the `bytes` of stack below the caller's frame with a pattern, so
// StackBytesUsed can later find how deep the stack went.
void PaintStack(size_t bytes);
// Bytes of stack in use at the deepest point since PaintStack, counted from
// the top of the stack; 0 when the painted region itself was overrun.
size_t StackBytesUsed();

}  // namespace firmware

#endif  // TINYENC_FIRMWARE_APP_SUPPORT_H_
