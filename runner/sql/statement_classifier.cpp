#include "sql/statement_classifier.h"

#include <strings.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>

#include "sql/parse_tree.h"

namespace schemagate::sql {
namespace {

struct NamedValue {
  const char* value;
  const char* command;
};

// TransactionStmt.kind: END and ABORT parse as COMMIT and ROLLBACK.
constexpr NamedValue kTransactionCommands[] = {
    {"TRANS_STMT_BEGIN", "BEGIN"},
    {"TRANS_STMT_START", "START TRANSACTION"},
    {"TRANS_STMT_COMMIT", "COMMIT"},
    {"TRANS_STMT_ROLLBACK", "ROLLBACK"},
    {"TRANS_STMT_SAVEPOINT", "SAVEPOINT"},
    {"TRANS_STMT_RELEASE", "RELEASE SAVEPOINT"},
    {"TRANS_STMT_ROLLBACK_TO", "ROLLBACK TO SAVEPOINT"},
    {"TRANS_STMT_PREPARE", "PREPARE TRANSACTION"},
    {"TRANS_STMT_COMMIT_PREPARED", "COMMIT PREPARED"},
    {"TRANS_STMT_ROLLBACK_PREPARED", "ROLLBACK PREPARED"},
};

// Statements that are never allowed in a transaction block, by node type.
constexpr NamedValue kNoTransactionNodes[] = {
    {"CreatedbStmt", "CREATE DATABASE"},
    {"DropdbStmt", "DROP DATABASE"},
    {"CreateTableSpaceStmt", "CREATE TABLESPACE"},
    {"DropTableSpaceStmt", "DROP TABLESPACE"},
    {"AlterSystemStmt", "ALTER SYSTEM"},
};

// ReindexStmt.kind values that reindex many tables, one transaction each.
constexpr NamedValue kMultipleReindexKinds[] = {
    {"REINDEX_OBJECT_SCHEMA", "REINDEX SCHEMA"},
    {"REINDEX_OBJECT_SYSTEM", "REINDEX SYSTEM"},
    {"REINDEX_OBJECT_DATABASE", "REINDEX DATABASE"},
};

template <size_t N>
const char* command_for(const NamedValue (&table)[N], const std::string& value) {
  for (const NamedValue& entry : table) {
    if (value == entry.value) return entry.command;
  }
  return nullptr;
}

/// REINDEX (CONCURRENTLY) and REINDEX ... CONCURRENTLY both land in `params`.
bool has_concurrently_param(const ParseTree& reindex) {
  auto params = reindex.find("params");
  if (params == reindex.end() || !params->is_array()) return false;
  for (const ParseTree& param : *params) {
    if (!param.is_object()) continue;
    auto def_elem = param.find("DefElem");
    if (def_elem != param.end() && string_member(*def_elem, "defname") == "concurrently") {
      return true;
    }
  }
  return false;
}

Classification flagged(StatementKind kind, const char* command) {
  return command != nullptr ? Classification{kind, command} : Classification{};
}

/// Classifies the node of a parse tree's statement: `{"IndexStmt": {...}}`.
Classification classify_node(const std::string& type, const ParseTree& node) {
  constexpr StatementKind kNoTx = StatementKind::kNoTransactionBlock;
  if (type == "TransactionStmt") {
    return flagged(StatementKind::kTransactionControl,
                   command_for(kTransactionCommands, string_member(node, "kind")));
  }
  if (type == "IndexStmt" && flag_member(node, "concurrent")) {
    return flagged(kNoTx, "CREATE INDEX CONCURRENTLY");
  }
  if (type == "DropStmt" && flag_member(node, "concurrent")) {
    return flagged(kNoTx, "DROP INDEX CONCURRENTLY");
  }
  if (type == "ReindexStmt") {
    if (has_concurrently_param(node)) return flagged(kNoTx, "REINDEX CONCURRENTLY");
    return flagged(kNoTx, command_for(kMultipleReindexKinds, string_member(node, "kind")));
  }
  // VacuumStmt also holds ANALYZE, which is allowed in a transaction.
  if (type == "VacuumStmt" && flag_member(node, "is_vacuumcmd")) return flagged(kNoTx, "VACUUM");
  return flagged(kNoTx, command_for(kNoTransactionNodes, type));
}

// The first keyword of every statement classify_node can flag. Statements
// that start with another word (SELECT, INSERT, UPDATE, WITH: the huge seed
// inserts and generated queries) are ordinary without a parse.
constexpr const char* kFlaggableKeywords[] = {
    "ABORT", "ALTER",   "BEGIN",    "COMMIT",    "CREATE", "DROP",  "END",
    "PREPARE", "REINDEX", "RELEASE", "ROLLBACK", "SAVEPOINT", "START", "VACUUM",
};

// What classify_node flags among statements that open with CREATE, DROP or
// ALTER always spells one of these words; the rest of those statements (the
// tables, indexes and columns of most migrations) need no parse.
constexpr const char* kFlaggableDdlWords[] = {"CONCURRENTLY", "DATABASE", "TABLESPACE", "SYSTEM"};

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         (static_cast<unsigned char>(c) & 0x80) != 0;
}

/// Whether `statement` holds one of kFlaggableDdlWords as a whole word, in
/// any case: anywhere, strings and comments included, which at worst costs
/// a parse.
bool mentions_flaggable_ddl_word(const std::string& statement) {
  size_t at = 0;
  while (at < statement.size()) {
    while (at < statement.size() && !is_word_char(statement[at])) ++at;
    size_t end = at;
    while (end < statement.size() && is_word_char(statement[end])) ++end;
    for (const char* word : kFlaggableDdlWords) {
      if (end - at == std::strlen(word) &&
          strncasecmp(statement.c_str() + at, word, end - at) == 0) {
        return true;
      }
    }
    at = end;
  }
  return false;
}

bool may_be_flagged(const std::string& statement) {
  if (statement.empty() || !std::isalpha(static_cast<unsigned char>(statement[0]))) return true;
  std::string word;
  for (char c : statement) {
    if (!std::isalpha(static_cast<unsigned char>(c)) || word.size() > 9) break;
    word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (word == "CREATE" || word == "DROP" || word == "ALTER") {
    return mentions_flaggable_ddl_word(statement);
  }
  return std::find(std::begin(kFlaggableKeywords), std::end(kFlaggableKeywords), word) !=
         std::end(kFlaggableKeywords);
}

}  // namespace

Classification classify_statement(const std::string& statement) {
  if (!may_be_flagged(statement)) return {};
  std::optional<ParseTree> tree = parse_sql(statement).tree;
  // {"version": ..., "stmts": [{"stmt": {"<NodeType>": {...}}, ...}, ...]}
  if (!tree || !tree->is_object()) return {};
  auto stmts = tree->find("stmts");
  if (stmts == tree->end() || !stmts->is_array()) return {};
  // A split statement holds one statement, except when a body with a syntax
  // error was split by the scanner: the first flagged one counts then.
  for (const ParseTree& raw_stmt : *stmts) {
    if (!raw_stmt.is_object()) continue;
    auto stmt = raw_stmt.find("stmt");
    if (stmt == raw_stmt.end() || !stmt->is_object() || stmt->size() != 1) continue;
    Classification classification = classify_node(stmt->begin().key(), stmt->begin().value());
    if (classification.kind != StatementKind::kOrdinary) return classification;
  }
  return {};
}

}  // namespace schemagate::sql
