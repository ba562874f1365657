#include "script/header_reader.h"

#include <algorithm>
#include <atomic>
#include <system_error>
#include <thread>

#include "script/migration_parser.h"

namespace schemagate::script {
namespace {

/// What the first read of a file asks for: a header and, usually, the
/// whole of a hand-written migration, in one system call.
constexpr size_t kFirstRead = 4096;

/// A thread for every this many files, one alone below twice as many: at
/// 1,000 files in the page cache of a busy machine, more cost more than
/// they save.
constexpr size_t kFilesPerThread = 512;
constexpr unsigned kMostThreads = 4;
/// Files a thread takes at a time: few enough turns at the shared counter,
/// small enough that the threads finish together.
constexpr size_t kBatch = 32;

Status check_file_name(const std::string& name, const Migration& migration) {
  const std::string& id = migration.revision.id;
  if (name.size() >= id.size() && name.compare(0, id.size(), id) == 0 &&
      (name.compare(id.size(), std::string::npos, ".sql") == 0 ||
       (name.size() > id.size() && name[id.size()] == '_'))) {
    return {};
  }
  return Error(ErrorCode::kInvalid, migration.path + ": declares revision " + id +
                                        " but its name does not start with it; rename it to " +
                                        id + "_<slug>.sql");
}

/// Empties `migration` but for its path.
void clear_but_path(Migration& migration) {
  std::string path = std::move(migration.path);
  migration = Migration();
  migration.path = std::move(path);
}

/// Reads into `out` (empty) the header of the file `name`; a repeatable
/// revision whole, since its checksum is compared after every upgrade.
Status read_migration(const VersionsDirectory& directory, const std::string& name,
                      Migration& out) {
  out.path = directory.path_of(name);
  Result<VersionFile> file = directory.open_file(name);
  if (!file) return file.error();
  // Most headers are whole in the first read: parsed where they lie.
  char start[kFirstRead];
  Result<size_t> got = file->read(start, sizeof start);
  if (!got) return got.error();
  Result<bool> header = parse_migration_header(out.path, std::string_view(start, *got), false, out);
  if (!header) return header.error();
  if (*header && !out.repeatable) return {};
  clear_but_path(out);
  std::string text(start, *got);
  size_t chunk = kFirstRead;
  bool more = *got > 0;
  while (more) {
    Result<bool> appended = file->append(text, chunk);
    if (!appended) return appended.error();
    more = *appended;
    Result<bool> header = parse_migration_header(out.path, text, !more, out);
    if (!header) return header.error();
    if (*header && !out.repeatable) return {};
    if (*header) break;
    clear_but_path(out);
    chunk *= 2;  // a long header: fewer rereads of its start
  }
  while (more) {
    Result<bool> appended = file->append(text, chunk);
    if (!appended) return appended.error();
    more = *appended;
    chunk *= 2;
  }
  Result<Migration> whole = parse_migration(out.path, text);
  if (!whole) return whole.error();
  out = std::move(whole).value();
  return {};
}

/// File `name` into `slot` (an empty Migration), or its problem.
Status read_into(const VersionsDirectory& directory, const std::string& name, Migration& slot) {
  Status read = read_migration(directory, name, slot);
  if (read) read = check_file_name(name, slot);
  return read;
}

}  // namespace

ReadFiles read_migrations(const VersionsDirectory& directory,
                          const std::vector<std::string>& names, unsigned threads) {
  ReadFiles read;
  // Empty migrations, each filled by the one thread that takes its file.
  read.migrations.resize(names.size());
  if (threads <= 1) {
    for (size_t i = 0; i < names.size(); ++i) {
      Status status = read_into(directory, names[i], read.migrations[i]);
      if (!status) read.errors.emplace_back(i, status.error());
    }
    return read;
  }
  // Each thread keeps the problems of its own files; merged by file after.
  std::vector<std::vector<std::pair<size_t, Error>>> errors(threads);
  std::atomic<size_t> next{0};
  auto work = [&](unsigned thread) {
    for (size_t start; (start = next.fetch_add(kBatch)) < names.size();) {
      size_t end = std::min(start + kBatch, names.size());
      for (size_t i = start; i < end; ++i) {
        Status status = read_into(directory, names[i], read.migrations[i]);
        if (!status) errors[thread].emplace_back(i, status.error());
      }
    }
  };
  std::vector<std::thread> helpers;
  for (unsigned i = 1; i < threads; ++i) {
    try {
      helpers.emplace_back(work, i);
    } catch (const std::system_error&) {
      break;  // no thread to be had: those started, and this one, read it all
    }
  }
  work(0);
  for (std::thread& helper : helpers) helper.join();
  for (auto& found : errors) {
    for (auto& error : found) read.errors.push_back(std::move(error));
  }
  std::sort(read.errors.begin(), read.errors.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return read;
}

unsigned reading_threads(size_t files) {
  if (files < 2 * kFilesPerThread) return 1;
  return static_cast<unsigned>(std::min<size_t>(kMostThreads, files / kFilesPerThread));
}

}  // namespace schemagate::script
