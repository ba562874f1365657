#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "schemagate/common/result.h"

namespace schemagate::importers {

/// An Alembic project: its script location (env.py, versions/) and, when
/// there is one, the alembic.ini naming it.
struct AlembicProject {
  std::filesystem::path script_location;
  std::optional<std::filesystem::path> ini;
};

/// One Alembic revision, its SQL rendered by Alembic's offline mode.
struct AlembicRevision {
  std::string id;
  std::vector<std::string> parents;        ///< down_revision, a tuple for a merge
  std::vector<std::string> branch_labels;  ///< as declared in the file
  std::vector<std::string> depends_on;     ///< as declared: ids, prefixes or labels
  std::string message;                     ///< the docstring's first line
  std::string path;                        ///< the .py file, relative to the script location
  std::optional<std::string> up;           ///< none: could not be rendered offline
  std::string up_error;                    ///< why not
  std::optional<std::string> down;
  std::string down_error;
};

/// `directory` holding alembic.ini (whose script_location is used), or the
/// script location itself (env.py and versions/). Exit 2 otherwise, saying
/// what was looked for.
Result<AlembicProject> locate_alembic_project(const std::filesystem::path& directory);

/// Loads the project with Alembic's own ScriptDirectory and renders every
/// revision's upgrade() and downgrade() in Alembic's offline (as_sql) mode,
/// with the PostgreSQL dialect, one revision at a time (so a merge renders
/// its own operations only, and no version table statements or BEGIN/COMMIT
/// appear). env.py is not run: the application need not be importable,
/// except where a revision file imports it itself. The Python is the one of
/// $SCHEMAGATE_PYTHON, else the one the `alembic` command on the PATH names
/// in its first line, else python3. Exit 2 when it has no Alembic or the
/// project cannot be loaded, with Alembic's own words.
Result<std::vector<AlembicRevision>> read_alembic_history(const AlembicProject& project);

/// Parses the helper's output: one JSON object per revision per line, or
/// one `{"fatal": ...}`. Pure, for tests.
Result<std::vector<AlembicRevision>> parse_alembic_listing(const std::string& output);

}  // namespace schemagate::importers
