#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "engine/database.h"
#include "engine/version_records.h"
#include "schema/catalog.h"
#include "schema/declared_schema.h"
#include "schema/diff.h"
#include "schemagate/common/result.h"
#include "script/script_directory.h"

namespace schemagate::schema {

/// Where the comparisons run, and how schemagate's tables are named.
struct DevServer {
  std::string url;
  std::chrono::milliseconds wait_for_db{0};
  engine::VersionTables tables;
  engine::ExecutorOptions executor;
};

/// What it takes to go from the revisions' schema to the declared one.
struct SchemaGap {
  std::vector<Statement> up;            ///< renames, then diff(); one transaction
  std::vector<Statement> concurrent;    ///< CREATE INDEX CONCURRENTLY, outside one
  std::vector<Statement> down;          ///< undoes `up` (the concurrent indexes gone)
  std::vector<Statement> concurrent_down;  ///< undoes `concurrent`
  bool empty() const { return up.empty() && concurrent.empty(); }
};

/// Both directions between two catalogs (pure): up to `to`, with new
/// indexes on existing tables set apart to run concurrently, and down.
SchemaGap gap_between(const Catalog& from, const Catalog& to);

/// The schema the revisions build: every revision up to the heads, applied
/// to a scratch database of the dev server, and read back.
Result<Catalog> revisions_schema(const DevServer& dev, const script::ScriptDirectory& scripts);

/// The schema `files` declare: applied to a scratch database and read back.
Result<Catalog> declared_schema(const DevServer& dev, const std::vector<SourceFile>& files);

/// Replays the revisions and applies the declared schema on two scratch
/// databases, applies the declared renames to the first, and diffs the two.
Result<SchemaGap> gap_to_declared(const DevServer& dev, const script::ScriptDirectory& scripts,
                                  const std::vector<SourceFile>& files);

/// The SQL text of `statements`, each on its own lines, a destructive one
/// under a `-- destructive: ...` comment.
std::string render(const std::vector<Statement>& statements);
/// The warnings of `statements`, in order.
std::vector<std::string> warnings(const std::vector<Statement>& statements);

}  // namespace schemagate::schema
