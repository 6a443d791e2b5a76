#include "tools/cli/wav.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tinyenc {
namespace cli {
namespace {

uint32_t U32(const uint8_t* p) { return p[0] | p[1] << 8 | p[2] << 16 | uint32_t{p[3]} << 24; }
uint16_t U16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }

bool ReadAll(const char* path, std::vector<uint8_t>* bytes, std::string* error) {
  std::FILE* file = std::fopen(path, "rb");
  if (file == nullptr) {
    *error = std::string("cannot open ") + path + ": " + std::strerror(errno);
    return false;
  }
  uint8_t buffer[65536];
  size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
    bytes->insert(bytes->end(), buffer, buffer + got);
  }
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) *error = std::string("cannot read ") + path;
  return !failed;
}

}  // namespace

bool ReadWav(const char* path, uint32_t sample_rate, std::vector<int16_t>* samples,
             std::string* error) {
  std::vector<uint8_t> bytes;
  if (!ReadAll(path, &bytes, error)) return false;
  const std::string where = std::string(path) + ": ";
  if (bytes.empty()) {
    *error = where + "the file is empty";
    return false;
  }
  const bool riff = std::memcmp(bytes.data(), "RIFF", std::min<size_t>(4, bytes.size())) == 0;
  if (bytes.size() < 12 && riff) {
    *error = where + "truncated inside the RIFF header";
    return false;
  }
  if (!riff || std::memcmp(bytes.data() + 8, "WAVE", 4) != 0) {
    *error = where + "not a WAV file (no RIFF/WAVE header)";
    return false;
  }
  bool have_format = false;
  for (size_t at = 12; at < bytes.size();) {
    if (bytes.size() - at < 8) {
      *error = where + "truncated inside a chunk header";
      return false;
    }
    const uint8_t* chunk = bytes.data() + at;
    const uint32_t size = U32(chunk + 4);
    const size_t left = bytes.size() - at - 8;
    if (std::memcmp(chunk, "fmt ", 4) == 0) {
      if (size < 16 || left < 16) {
        *error = where + "truncated inside the fmt chunk";
        return false;
      }
      const uint16_t format = U16(chunk + 8), channels = U16(chunk + 10);
      const uint32_t rate = U32(chunk + 12);
      const uint16_t bits = U16(chunk + 22);
      if (format != 1 || channels != 1 || rate != sample_rate || bits != 16) {
        char text[200];
        std::snprintf(text, sizeof(text),
                      "%s%u Hz, %u channel%s, %u-bit, format %u; the model needs %u Hz mono "
                      "16-bit PCM (format 1)",
                      where.c_str(), rate, channels, channels == 1 ? "" : "s", bits, format,
                      sample_rate);
        *error = text;
        return false;
      }
      have_format = true;
    } else if (std::memcmp(chunk, "data", 4) == 0) {
      if (!have_format) {
        *error = where + "no fmt chunk before the data";
        return false;
      }
      if (size > left || size % 2 != 0) {
        *error = where + "the data chunk claims " + std::to_string(size) + " bytes; " +
                 std::to_string(left) + " follow" + (size % 2 != 0 ? " (and it is odd)" : "");
        return false;
      }
      if (size == 0) {
        *error = where + "no samples";
        return false;
      }
      samples->resize(size / 2);
      for (size_t i = 0; i < samples->size(); ++i) {
        (*samples)[i] = static_cast<int16_t>(U16(chunk + 8 + 2 * i));
      }
      return true;
    }
    if (size > left) break;  // a chunk running past the end: no data chunk ahead
    at += 8 + size + (size & 1);
  }
  *error = where + (have_format ? "no data chunk" : "truncated before its fmt chunk");
  return false;
}

}  // namespace cli
}  // namespace tinyenc
