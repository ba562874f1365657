#pragma once

#include <filesystem>
#include <vector>

#include "schemagate/common/result.h"
#include "script/migration.h"
#include "script/revision_map.h"

namespace schemagate::script {

/// A migration directory on disk: `<root>/versions/<rev>_<slug>.sql`, parsed
/// and validated as one revision graph. Files that do not end in `.sql`
/// (README.md, scripts) are ignored.
class ScriptDirectory {
 public:
  /// Reads every migration file. All problems are reported at once, each
  /// naming its file and line; nothing is usable unless all are fixed.
  static Result<ScriptDirectory> load(const std::filesystem::path& root);

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path versions_dir() const { return root_ / "versions"; }
  const RevisionMap& map() const { return map_; }
  /// The migration of revision `index` of map().
  const Migration& migration(RevisionMap::Index index) const { return migrations_[index]; }
  /// The repeatable revisions (outside the graph), in the order they are
  /// applied (see script/repeatable.h).
  const std::vector<Migration>& repeatables() const { return repeatables_; }

 private:
  ScriptDirectory(std::filesystem::path root, std::vector<Migration> migrations, RevisionMap map,
                  std::vector<Migration> repeatables)
      : root_(std::move(root)),
        migrations_(std::move(migrations)),
        map_(std::move(map)),
        repeatables_(std::move(repeatables)) {}

  std::filesystem::path root_;
  std::vector<Migration> migrations_;
  RevisionMap map_;
  std::vector<Migration> repeatables_;
};

}  // namespace schemagate::script
