#include "schemagate/common/files.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace schemagate::files {
namespace fs = std::filesystem;

namespace {

Error unreadable(const fs::path& path, const std::string& reason) {
  return Error(ErrorCode::kInvalid, path.string() + ": cannot be read (" + reason +
                                        "); check the path and its permissions");
}

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

/// The type of `path`, or an error for anything but "it does not exist".
Result<fs::file_type> type_of(const fs::path& path) {
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  if (ec && status.type() != fs::file_type::not_found) {
    return Error(ErrorCode::kInvalid, path.string() + ": " + ec.message() +
                                          "; remove or fix this entry");
  }
  return status.type();
}

}  // namespace

Result<std::string> read_file(const fs::path& path, size_t max_bytes) {
  Result<fs::file_type> type = type_of(path);
  if (!type) return type.error();
  if (*type == fs::file_type::directory) {
    return Error(ErrorCode::kInvalid, path.string() + " is a directory; name a file");
  }
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return unreadable(path, std::strerror(errno));
  std::string text;
  char buffer[65536];
  while (true) {
    size_t got = std::fread(buffer, 1, sizeof buffer, file.get());
    if (got > max_bytes - std::min(max_bytes, text.size())) {
      return Error(ErrorCode::kInvalid,
                   path.string() + ": larger than " + std::to_string(max_bytes) +
                       " bytes, the most schemagate reads from one file; is it the right file?");
    }
    text.append(buffer, got);
    if (got < sizeof buffer) break;
  }
  if (std::ferror(file.get())) return unreadable(path, std::strerror(errno));
  return text;
}

Result<std::vector<Entry>> list_directory(const fs::path& directory, bool recursive) {
  std::vector<Entry> entries;
  std::error_code ec;
  auto add = [&](const fs::path& path) -> Status {
    Result<fs::file_type> type = type_of(path);
    if (!type) return type.error();
    entries.push_back({path, *type});
    return {};
  };
  if (recursive) {
    fs::recursive_directory_iterator it(directory, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      Status added = add(it->path());
      if (!added) return added.error();
    }
  } else {
    fs::directory_iterator it(directory, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      Status added = add(it->path());
      if (!added) return added.error();
    }
  }
  if (ec) {
    return Error(ErrorCode::kInvalid, directory.string() + ": cannot be listed (" +
                                          ec.message() + "); check the path and its permissions");
  }
  // Entries of one directory share their parent, so comparing the strings
  // orders them as comparing the paths would, without path::compare's
  // component splitting (a fifth of loading 10,000 migrations).
  std::sort(entries.begin(), entries.end(), [recursive](const Entry& a, const Entry& b) {
    return recursive ? a.path < b.path : a.path.native() < b.path.native();
  });
  return entries;
}

}  // namespace schemagate::files
