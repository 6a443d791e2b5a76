// UTF-8 decoding the way WHATWG decoders (browsers, Node) do it, so malformed
// input reads the same here as in the JavaScript references.
#ifndef TINYENC_MODELS_TOKENIZER_UTF8_H_
#define TINYENC_MODELS_TOKENIZER_UTF8_H_

#include <cstddef>
#include <cstdint>

namespace tinyenc {

// Returns the code point at text[*pos] and advances *pos past it; a maximal
// invalid subpart reads as one U+FFFD.
uint32_t DecodeUtf8(const uint8_t* text, size_t length, size_t* pos);

// Writes `cp` as 1 to 4 bytes to `out`; returns the count.
size_t EncodeUtf8(uint32_t cp, char* out);

}  // namespace tinyenc

#endif  // TINYENC_MODELS_TOKENIZER_UTF8_H_
