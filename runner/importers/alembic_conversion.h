#pragma once

#include <string>
#include <vector>

#include "importers/alembic_history.h"
#include "schemagate/common/result.h"
#include "script/migration.h"

namespace schemagate::importers {

/// One Alembic revision as a native migration.
struct ConvertedRevision {
  script::Migration migration;
  std::string source;  ///< the .py file, for the header comment
  /// Why a body could not be rendered (empty: both were). Such a body holds
  /// a comment saying what to write and a statement that stops any run that
  /// reaches it, so an unfinished file never passes for a finished one.
  std::string needs_hand;
};

/// Converts Alembic's revisions, keeping their ids: down_revision (a tuple
/// for a merge) become the parents, branch_labels stay branch labels, and
/// depends_on becomes extra parents (schemagate's graph has one kind of
/// edge: the dependency is applied first, and the two lines are joined
/// there). The transaction mode is detected from the SQL as for the other
/// formats. Exit 2, naming the .py file, for an id schemagate cannot keep
/// (see script::is_revision_id), a depends_on naming nothing, or SQL that
/// mixes its own transaction with statements that cannot run in one.
Result<std::vector<ConvertedRevision>> convert_alembic(const std::vector<AlembicRevision>& history);

/// The text of the native file: a comment naming the source, then the file.
std::string render_converted(const ConvertedRevision& revision);

}  // namespace schemagate::importers
