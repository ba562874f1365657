#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "schemagate/common/result.h"
#include "script/migration.h"
#include "script/versions_directory.h"

namespace schemagate::script {

/// What reading the files of a history gave, in the order of their names.
struct ReadFiles {
  /// File i's migration; an empty one where `errors` holds its problem.
  std::vector<Migration> migrations;
  /// (i, the first problem of file i, naming the file and line), by i.
  std::vector<std::pair<size_t, Error>> errors;
};

/// Reads the files `names` of `directory`: each one's header (up to
/// `-- schemagate:up`), a repeatable revision whole, and checks that the
/// file's name starts with the revision it declares.
///
/// The files are shared out among `threads` threads, the calling one among
/// them: the cost of a long history is an open, a read and a close per file,
/// kernel work that runs on every core at once, and a wait for the disk per
/// file the page cache does not hold, which threads wait out together. Each
/// thread writes only the
/// results of the files it took, so the results, and every message and
/// graph built from them in their order, are the same whatever the threads
/// did. One thread reads them all in order, as a short history does.
ReadFiles read_migrations(const VersionsDirectory& directory,
                          const std::vector<std::string>& names, unsigned threads);

/// How many threads read `files` files: one for a short history (starting
/// a thread costs more than it saves there), else four, whatever the CPUs:
/// a history not in the page cache (a new pod's first run) waits for the
/// disk file by file, and four reads in flight wait a third as long as one
/// (10,000 files: 0.9 s on one thread, 0.3 s on four). In the cache the
/// threads cost about a tenth more CPU in all, and save wall time only
/// where a core is idle.
unsigned reading_threads(size_t files);

}  // namespace schemagate::script
