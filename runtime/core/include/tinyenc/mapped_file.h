// A whole file mapped read-only, for desktop hosts: the bytes GgufFile parses
// in place. Firmware builds compile it, but there Open() always fails and
// weights come from flash instead.
#ifndef TINYENC_MAPPED_FILE_H_
#define TINYENC_MAPPED_FILE_H_

#include <cstddef>
#include <cstdint>

#include "tinyenc/status.h"

namespace tinyenc {

class MappedFile {
 public:
  MappedFile() = default;
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Unmaps any previous file first. kIoError (naming the path and the
  // system's reason) when the file cannot be opened or mapped, is not a
  // regular file, is empty, or the host has no POSIX mmap.
  Status Open(const char* path);

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  void Unmap();

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace tinyenc

#endif  // TINYENC_MAPPED_FILE_H_
