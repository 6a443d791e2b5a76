#include "tinyenc/mapped_file.h"

#if defined(__unix__) || defined(__APPLE__)
#define TINYENC_HAVE_MMAP 1
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#endif

namespace tinyenc {

MappedFile::~MappedFile() { Unmap(); }

MappedFile::MappedFile(MappedFile&& other) noexcept : data_(other.data_), size_(other.size_) {
  other.data_ = nullptr;
  other.size_ = 0;
}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    Unmap();
    data_ = other.data_;
    size_ = other.size_;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

#if defined(TINYENC_HAVE_MMAP)

void MappedFile::Unmap() {
  if (data_ != nullptr) munmap(const_cast<uint8_t*>(data_), size_);
  data_ = nullptr;
  size_ = 0;
}

Status MappedFile::Open(const char* path) {
  Unmap();
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error(StatusCode::kIoError, "%s: %s", path, std::strerror(errno));
  struct stat info;
  Status status;
  if (fstat(fd, &info) != 0) {
    status = Status::Error(StatusCode::kIoError, "%s: %s", path, std::strerror(errno));
  } else if (!S_ISREG(info.st_mode)) {
    status = Status::Error(StatusCode::kIoError, "%s: not a regular file", path);
  } else if (info.st_size == 0) {
    status = Status::Error(StatusCode::kIoError, "%s: empty", path);
  } else if (static_cast<uintmax_t>(info.st_size) > SIZE_MAX) {
    status = Status::Error(StatusCode::kIoError, "%s: too large to map", path);
  } else {
    const size_t size = static_cast<size_t>(info.st_size);
    void* mapped = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (mapped == MAP_FAILED) {
      status = Status::Error(StatusCode::kIoError, "%s: mmap: %s", path, std::strerror(errno));
    } else {
      data_ = static_cast<const uint8_t*>(mapped);
      size_ = size;
    }
  }
  close(fd);  // the mapping keeps the file
  return status;
}

#else

void MappedFile::Unmap() {}

Status MappedFile::Open(const char* path) {
  return Status::Error(StatusCode::kIoError, "%s: not supported on this platform", path);
}

#endif

}  // namespace tinyenc
