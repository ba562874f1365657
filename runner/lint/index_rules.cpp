// Index builds and the maintenance commands that rewrite or rebuild.
#include "lint/check_context.h"
#include "lint/parse_node.h"

namespace schemagate::lint {
namespace {

using sql::ParseTree;

bool has_option(const ParseTree& node, const std::string& key, const std::string& option) {
  for (const ParseTree& raw : node::list(node, key)) {
    const ParseTree* element = node::as(raw, "DefElem");
    if (element != nullptr && node::text(*element, "defname") == option) return true;
  }
  return false;
}

/// The advice for a statement that should run CONCURRENTLY: where it goes.
std::string concurrent_rewrite(const CheckContext& context, const std::string& statement) {
  return statement + (context.body().transactional
                          ? " in a revision of its own marked '-- schemagate:transactional false'"
                          : "");
}

}  // namespace

void check_create_index(CheckContext& context, const ParseTree& index) {
  const ParseTree* relation = node::member(index, "relation");
  if (relation == nullptr) return;
  RelationName table = node::relation(*relation);
  std::string name = node::text(index, "idxname");
  if (!name.empty()) context.state().created_indexes.insert(name);
  if (node::flag(index, "concurrent")) {
    context.takes(LockMode::kShareUpdateExclusive, table);
    return;
  }
  context.takes(LockMode::kShare, table);
  if (!context.lock_matters(table)) return;
  context.report("require-concurrent-index-creation",
                 "CREATE INDEX " + name + " on " + table.text() +
                     " blocks every write to the table until the index is built",
                 context.impact(LockMode::kShare, table, LockDuration::kIndexBuild), -1,
                 concurrent_rewrite(context, "CREATE INDEX CONCURRENTLY"));
}

void check_reindex(CheckContext& context, const ParseTree& reindex) {
  if (has_option(reindex, "params", "concurrently")) return;
  const std::string kind = node::text(reindex, "kind");
  const ParseTree* relation = node::member(reindex, "relation");
  if (relation == nullptr || (kind != "REINDEX_OBJECT_TABLE" && kind != "REINDEX_OBJECT_INDEX")) {
    return;  // SCHEMA, DATABASE, SYSTEM: refused in a transaction, and beyond one table
  }
  RelationName target = node::relation(*relation);
  RelationName table = target;
  if (kind == "REINDEX_OBJECT_INDEX") {
    if (std::optional<RelationName> owner = context.facts().index_table(target)) table = *owner;
  }
  context.takes(LockMode::kShare, table);
  if (!context.lock_matters(table)) return;
  context.report("require-concurrent-reindex",
                 "REINDEX of " + target.text() + " blocks writes to " + table.text() +
                     " while it rebuilds",
                 context.impact(LockMode::kShare, table, LockDuration::kIndexBuild), -1,
                 concurrent_rewrite(context, "REINDEX ... CONCURRENTLY"));
}

void check_vacuum(CheckContext& context, const ParseTree& vacuum) {
  if (!node::flag(vacuum, "is_vacuumcmd") || !has_option(vacuum, "options", "full")) return;
  const ParseTree& relations = node::list(vacuum, "rels");
  if (relations.empty()) {
    context.report("ban-vacuum-full", "VACUUM FULL rewrites every table of the database under "
                                      "ACCESS EXCLUSIVE, one after another");
    return;
  }
  for (const ParseTree& raw : relations) {
    const ParseTree* entry = node::as(raw, "VacuumRelation");
    const ParseTree* relation = entry != nullptr ? node::member(*entry, "relation") : nullptr;
    if (relation == nullptr) continue;
    RelationName table = node::relation(*relation);
    context.takes(LockMode::kAccessExclusive, table);
    if (!context.lock_matters(table)) continue;
    context.report("ban-vacuum-full", "VACUUM FULL rewrites " + table.text(),
                   context.impact(LockMode::kAccessExclusive, table, LockDuration::kTableRewrite));
  }
}

void check_cluster(CheckContext& context, const ParseTree& cluster) {
  const ParseTree* relation = node::member(cluster, "relation");
  if (relation == nullptr) {
    context.report("ban-cluster", "CLUSTER rewrites every clustered table of the database under "
                                  "ACCESS EXCLUSIVE");
    return;
  }
  RelationName table = node::relation(*relation);
  context.takes(LockMode::kAccessExclusive, table);
  if (!context.lock_matters(table)) return;
  context.report("ban-cluster", "CLUSTER rewrites " + table.text() + " in index order",
                 context.impact(LockMode::kAccessExclusive, table, LockDuration::kTableRewrite));
}

}  // namespace schemagate::lint
