#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "schemagate/common/result.h"
#include "script/migration.h"
#include "script/revision_map.h"

namespace schemagate::script {

/// A migration directory on disk: `<root>/versions/<rev>_<slug>.sql`, parsed
/// and validated as one revision graph. Files that do not end in `.sql`
/// (README.md, scripts) are ignored.
///
/// Loading reads each file's header only (up to `-- schemagate:up`): the
/// graph, the plan and a run with nothing to do need no more. A revision's
/// bodies are read from its file the first time they are asked for, so a
/// run costs the headers of the history plus the bodies it runs or checks.
class ScriptDirectory {
 public:
  /// load()'s default: as many threads as script/header_reader.h finds useful.
  static constexpr unsigned kAnyThreads = 0;

  /// Reads every migration file's header, and repeatable revisions whole,
  /// on `threads` threads (script/header_reader.h). All problems are
  /// reported at once, in the order of the file names, each naming its file
  /// and line; nothing is usable unless all are fixed.
  static Result<ScriptDirectory> load(const std::filesystem::path& root,
                                      unsigned threads = kAnyThreads);

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path versions_dir() const { return root_ / "versions"; }
  const RevisionMap& map() const { return map_; }
  /// The migration of revision `index` of map(), its bodies read now if
  /// they were not yet. When they cannot be (the file is malformed past its
  /// header, or was changed or removed since the load), its `body_error`
  /// says so with file and line, and body_for() returns it.
  const Migration& migration(RevisionMap::Index index) const;
  /// The checksum of revision `index`'s bodies (Migration::checksum), or
  /// the reason they cannot be read.
  Result<std::string> checksum(RevisionMap::Index index) const;
  /// The repeatable revisions (outside the graph), in the order they are
  /// applied (see script/repeatable.h).
  const std::vector<Migration>& repeatables() const { return repeatables_; }

 private:
  ScriptDirectory(std::filesystem::path root, std::vector<Migration> migrations, RevisionMap map,
                  std::vector<Migration> repeatables);
  void read_bodies(RevisionMap::Index index) const;

  std::filesystem::path root_;
  /// Headers from the load; bodies filled in by read_bodies().
  mutable std::vector<Migration> migrations_;
  mutable std::vector<char> bodies_read_;
  /// Bodies are read on first use, which may come from any thread.
  std::unique_ptr<std::mutex> reading_;
  RevisionMap map_;
  std::vector<Migration> repeatables_;
};

}  // namespace schemagate::script
