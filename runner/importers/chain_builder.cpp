#include "importers/chain_builder.h"

#include <algorithm>
#include <string_view>

#include "importers/transaction_mode.h"
#include "schemagate/common/sha256.h"
#include "script/migration_parser.h"
#include "script/revision_writer.h"

namespace schemagate::importers {
namespace {

/// A body line the migration parser would read as a directive (or section
/// marker) and so cut the body short; the import cannot keep it byte for byte.
Status refuse_directive_lines(const SourceBody& body) {
  std::string_view sql = body.sql;
  int line = body.first_line;
  for (size_t begin = 0; begin < sql.size(); ++line) {
    size_t end = std::min(sql.find('\n', begin), sql.size());
    std::string_view text = sql.substr(begin, end - begin);
    begin = end + 1;
    if (!script::is_directive_line(text)) continue;
    return Error(ErrorCode::kInvalid, body.path + ":" + std::to_string(line) +
                                          ": a '-- schemagate:' comment line would be read as a "
                                          "directive of the imported file; reword the comment");
  }
  return {};
}

script::Body body_of(const SourceBody& source) { return script::Body{source.sql, 0}; }

}  // namespace

std::string derive_revision_id(Format format, const Version& version) {
  return sha256_hex(std::string(format_name(format)) + ":" + version.to_string()).substr(0, 12);
}

Result<std::vector<ImportedRevision>> build_chain(const SourceHistory& history) {
  std::vector<ImportedRevision> chain;
  std::string problems;
  auto problem = [&](const Error& error) {
    problems += (problems.empty() ? "" : "\n") + error.message();
  };
  std::string parent;
  for (const SourceMigration& source : history.migrations) {
    std::string id = derive_revision_id(history.format, source.version);
    Status up_ok = refuse_directive_lines(source.up);
    Status down_ok = source.down ? refuse_directive_lines(*source.down) : Status();
    Result<TransactionMode> mode = detect_transaction_mode(source);
    for (const Status& status : {up_ok, down_ok, mode ? Status() : Status(mode.error())}) {
      if (!status) problem(status.error());
    }
    ImportedRevision revision{script::Migration{}, source.version, source.up.path};
    if (source.down && source.down->path != source.up.path) {
      revision.sources += ", " + source.down->path;
    }
    script::Migration& migration = revision.migration;
    migration.revision.id = id;
    if (!parent.empty()) migration.revision.parents.push_back(parent);
    migration.revision.message = source.description.empty()
                                     ? "version " + source.version.to_string()
                                     : source.description;
    migration.up = body_of(source.up);
    if (source.down) migration.down = body_of(*source.down);
    if (mode) {
      migration.transactional = mode->transactional;
      migration.wrapped_transaction = mode->wrapped_transaction;
    }
    chain.push_back(std::move(revision));
    parent = id;
  }
  if (!problems.empty()) return Error(ErrorCode::kInvalid, problems);
  return chain;
}

std::string render_imported(Format format, const ImportedRevision& revision) {
  return "-- imported from " + std::string(format_name(format)) + " version " +
         revision.version.to_string() + ": " + revision.sources + "\n" +
         script::render_migration(revision.migration);
}

}  // namespace schemagate::importers
