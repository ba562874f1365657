#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "schemagate/common/result.h"

namespace schemagate::script {

class VersionsDirectory;

/// One file of a VersionsDirectory, open for reading in pieces: a header is
/// read without the body behind it. It names itself by its directory and
/// name, which outlive it: a long history makes no path per file for
/// messages it seldom writes.
class VersionFile {
 public:
  VersionFile(VersionFile&& other) noexcept;
  VersionFile& operator=(VersionFile&&) = delete;
  ~VersionFile();

  /// Reads up to `size` bytes into `buffer` in one system call; how many
  /// (fewer at the end of the file, 0 there). Exit 2 naming the file as
  /// append() does.
  Result<size_t> read(char* buffer, size_t size);
  /// Appends up to `bytes` more of the file to `text`, stopping early at a
  /// short read (most often the end of the file, found without a second
  /// system call). False once a read found the end. Exit 2 naming the file
  /// when it cannot be read or grows past files::kMaxFileBytes (a device, a
  /// log, a dump put there by mistake).
  Result<bool> append(std::string& text, size_t bytes);

 private:
  friend class VersionsDirectory;
  VersionFile(int fd, const VersionsDirectory& directory, const std::string& name)
      : fd_(fd), directory_(&directory), name_(&name) {}
  std::string path() const;

  int fd_;
  const VersionsDirectory* directory_;
  const std::string* name_;
  size_t read_ = 0;
};

/// The `versions/` directory of a migration directory, opened once: its
/// files are listed from the directory entries (no stat of each, except
/// for links) and opened relative to it, the fewest system calls per file,
/// which is most of what loading a long history costs.
class VersionsDirectory {
 public:
  /// Exit 2 naming the directory when it cannot be opened.
  static Result<VersionsDirectory> open(const std::filesystem::path& directory);
  VersionsDirectory(VersionsDirectory&& other) noexcept;
  VersionsDirectory& operator=(VersionsDirectory&&) = delete;
  ~VersionsDirectory();

  /// The names of the regular files (links followed) ending in `.sql`, in
  /// byte order. Exit 2 naming an entry that is a link to nothing, a link
  /// that loops, or cannot be examined.
  Result<std::vector<std::string>> sql_file_names() const;
  /// Opens the file `name` of the directory (both outlive the file); exit 2
  /// naming it when it cannot be.
  Result<VersionFile> open_file(const std::string& name) const;
  /// `directory/name`, as messages name the file.
  std::string path_of(const std::string& name) const { return prefix_ + name; }

 private:
  VersionsDirectory(int fd, std::string prefix) : fd_(fd), prefix_(std::move(prefix)) {}
  Error cannot_list(int error) const;

  int fd_;
  std::string prefix_;  ///< the directory's path and a '/'
};

}  // namespace schemagate::script
