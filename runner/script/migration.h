#pragma once

#include <optional>
#include <string>
#include <vector>

#include "schemagate/common/result.h"
#include "script/revision.h"

namespace schemagate::script {

/// One SQL body of a migration and where it starts in its file, so that a
/// server error position can be mapped back to a file line.
struct Body {
  std::string sql;
  int first_line = 0;  ///< 1-based file line of the body's first line
};

/// `-- schemagate:lint-ignore RULE reason`: a finding of `schemagate lint`
/// this revision accepts, and why.
struct LintIgnore {
  std::string rule;
  std::string reason;
  int line = 0;  ///< file line of the directive
};

/// A parsed migration file (DESIGN §1).
struct Migration {
  Revision revision;
  DirectiveLines lines;  ///< where the header declares the revision, for graph errors
  std::string path;  ///< the file, as given to the parser; used in every message
  bool transactional = true;
  /// The bodies may open with BEGIN and close with COMMIT of their own (files
  /// imported from tools that allowed it); the runner drops both and runs the
  /// body inside its own transaction. Only for transactional migrations.
  bool wrapped_transaction = false;
  /// `-- schemagate:repeatable true`: outside the revision graph, applied
  /// again after every upgrade to the heads whenever its checksum changed
  /// (script/repeatable.h).
  bool repeatable = false;
  std::vector<LintIgnore> lint_ignores;
  Body up;
  std::optional<Body> down;  ///< absent: the file has no down section
  /// Why the bodies could not be read, naming the file and line: a migration
  /// directory reads each file's header at load and its bodies only when
  /// they are needed (script_directory.h). body_for() returns it.
  std::optional<Error> body_error;

  /// SHA-256 over the normalized up and down bodies: what `verify` compares.
  std::string checksum() const;
};

/// The body a step runs: `up`, or `down` when downgrading. Exit 2 naming the
/// file when a downgrade meets a migration without a down section, or the
/// file and line when its bodies could not be read (body_error).
Result<const Body*> body_for(const Migration& migration, bool downgrade);

/// The body normalized for checksums: line endings unified, trailing spaces
/// and leading/trailing blank lines dropped, so reformatting whitespace does
/// not count as a change.
std::string normalize_body(const std::string& sql);

}  // namespace schemagate::script
