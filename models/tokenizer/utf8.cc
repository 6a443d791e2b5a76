#include "models/tokenizer/utf8.h"

namespace tinyenc {

uint32_t DecodeUtf8(const uint8_t* text, size_t length, size_t* pos) {
  constexpr uint32_t kReplacement = 0xFFFD;
  const uint8_t lead = text[(*pos)++];
  if (lead < 0x80) return lead;
  // Continuation count and the range of the second byte (Unicode table 3-7).
  size_t needed;
  uint8_t low = 0x80, high = 0xBF;
  uint32_t cp;
  if (lead >= 0xC2 && lead <= 0xDF) {
    needed = 1;
    cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    needed = 2;
    cp = lead & 0x0F;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    needed = 3;
    cp = lead & 0x07;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return kReplacement;
  }
  for (size_t i = 0; i < needed; ++i) {
    // A byte out of range ends the subpart and is read again on its own.
    if (*pos >= length || text[*pos] < low || text[*pos] > high) return kReplacement;
    cp = cp << 6 | (text[(*pos)++] & 0x3F);
    low = 0x80;
    high = 0xBF;
  }
  return cp;
}

size_t EncodeUtf8(uint32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | cp >> 6);
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | cp >> 12);
    out[1] = static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | cp >> 18);
  out[1] = static_cast<char>(0x80 | (cp >> 12 & 0x3F));
  out[2] = static_cast<char>(0x80 | (cp >> 6 & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

}  // namespace tinyenc
