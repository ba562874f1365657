#include "script/versions_directory.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "schemagate/common/files.h"

namespace schemagate::script {
namespace {

Error unreadable(const std::string& path, int error) {
  return Error(ErrorCode::kInvalid, path + ": cannot be read (" + std::strerror(error) +
                                        "); check the path and its permissions");
}

bool ends_in_sql(const char* name) {
  size_t length = std::strlen(name);
  // ".sql" alone is a hidden file without an extension, as std::filesystem sees it.
  return length > 4 && std::memcmp(name + length - 4, ".sql", 4) == 0;
}

}  // namespace

VersionFile::VersionFile(VersionFile&& other) noexcept
    : fd_(other.fd_), directory_(other.directory_), name_(other.name_), read_(other.read_) {
  other.fd_ = -1;
}

std::string VersionFile::path() const { return directory_->path_of(*name_); }

VersionFile::~VersionFile() {
  if (fd_ >= 0) ::close(fd_);
}

Result<size_t> VersionFile::read(char* buffer, size_t size) {
  if (read_ + size > files::kMaxFileBytes) size = files::kMaxFileBytes + 1 - read_;
  ssize_t n;
  do {
    n = ::read(fd_, buffer, size);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return unreadable(path(), errno);
  read_ += static_cast<size_t>(n);
  if (read_ > files::kMaxFileBytes) {
    return Error(ErrorCode::kInvalid,
                 path() + ": larger than " + std::to_string(files::kMaxFileBytes) +
                     " bytes, the most schemagate reads from one file; is it the right file?");
  }
  return static_cast<size_t>(n);
}

Result<bool> VersionFile::append(std::string& text, size_t bytes) {
  // Read through a buffer on the stack: growing `text` first would clear
  // bytes the read then overwrites, for every file of the history.
  char buffer[4096];
  size_t got = 0;
  bool ended = false;
  while (got < bytes) {
    size_t wanted = std::min(sizeof buffer, bytes - got);
    Result<size_t> n = read(buffer, wanted);
    if (!n) return n.error();
    ended = *n == 0;
    text.append(buffer, *n);
    got += *n;
    // A short read is usually the end of the file; the caller asks again
    // (and sees `ended`) only when what it has is not enough.
    if (*n < wanted) break;
  }
  return !ended;
}

Result<VersionsDirectory> VersionsDirectory::open(const std::filesystem::path& directory) {
  int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return Error(ErrorCode::kInvalid, directory.string() + ": cannot be listed (" +
                                          std::strerror(errno) +
                                          "); check the path and its permissions");
  }
  return VersionsDirectory(fd, directory.string() + "/");
}

VersionsDirectory::VersionsDirectory(VersionsDirectory&& other) noexcept
    : fd_(other.fd_), prefix_(std::move(other.prefix_)) {
  other.fd_ = -1;
}

VersionsDirectory::~VersionsDirectory() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::vector<std::string>> VersionsDirectory::sql_file_names() const {
  // fdopendir takes the descriptor over; a duplicate keeps ours for openat.
  int listing_fd = ::fcntl(fd_, F_DUPFD_CLOEXEC, 0);
  DIR* listing = listing_fd < 0 ? nullptr : ::fdopendir(listing_fd);
  if (!listing) {
    int error = errno;
    if (listing_fd >= 0) ::close(listing_fd);
    return cannot_list(error);
  }
  std::vector<std::string> names;
  std::string problem;
  errno = 0;
  while (dirent* entry = ::readdir(listing)) {
    if (!ends_in_sql(entry->d_name)) continue;
    unsigned char type = entry->d_type;
    if (type == DT_LNK || type == DT_UNKNOWN) {
      struct stat status;
      if (::fstatat(fd_, entry->d_name, &status, 0) != 0) {
        int error = errno;
        problem = error == ENOENT ? path_of(entry->d_name) +
                                        ": a link to a file that does not exist; restore its "
                                        "target or remove the link"
                                  : path_of(entry->d_name) + ": " + std::strerror(error) +
                                        "; remove or fix this entry";
        break;
      }
      type = S_ISREG(status.st_mode) ? DT_REG : DT_UNKNOWN;
    }
    if (type == DT_REG) names.emplace_back(entry->d_name);
    errno = 0;
  }
  int error = errno;
  ::closedir(listing);
  if (!problem.empty()) return Error(ErrorCode::kInvalid, problem);
  if (error != 0) return cannot_list(error);
  std::sort(names.begin(), names.end());
  return names;
}

Error VersionsDirectory::cannot_list(int error) const {
  return Error(ErrorCode::kInvalid, prefix_.substr(0, prefix_.size() - 1) + ": cannot be listed (" +
                                        std::strerror(error) +
                                        "); check the path and its permissions");
}

Result<VersionFile> VersionsDirectory::open_file(const std::string& name) const {
  int fd = ::openat(fd_, name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return unreadable(path_of(name), errno);
  return VersionFile(fd, *this, name);
}

}  // namespace schemagate::script
