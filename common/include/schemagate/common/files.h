#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "schemagate/common/result.h"

namespace schemagate::files {

/// The most a migration, configuration or source file may hold. Far above any
/// real migration; it keeps a wrong path (a device, a log, a dump) from
/// eating the memory of the pod.
inline constexpr size_t kMaxFileBytes = size_t{64} << 20;

/// The whole content of `path`, byte for byte. Refused, with ErrorCode::kInvalid
/// and a message naming the file: one that cannot be opened or read, a
/// directory, and one holding more than `max_bytes` (also a device or pipe that
/// never ends, such as /dev/zero: the read stops at the bound).
Result<std::string> read_file(const std::filesystem::path& path,
                              size_t max_bytes = kMaxFileBytes);

/// One entry of a directory listing; `type` follows symbolic links, and is
/// `not_found` for a link whose target is missing.
struct Entry {
  std::filesystem::path path;
  std::filesystem::file_type type = std::filesystem::file_type::none;
};

/// The entries of `directory` (with `recursive`, of its whole tree, without
/// following links to directories), sorted by path. Never throws: an entry
/// that cannot be examined (a link that points to itself, no permission) is an
/// ErrorCode::kInvalid error naming it.
Result<std::vector<Entry>> list_directory(const std::filesystem::path& directory,
                                          bool recursive = false);

}  // namespace schemagate::files
