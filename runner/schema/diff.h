#pragma once

#include <string>
#include <vector>

#include "schema/catalog.h"

/// The SQL that turns one catalog into another. Pure: it works on catalog
/// values, never on a server, so every rule is unit tested in memory. The
/// definitions it writes are the server's own (pg_get_*def), so what it
/// creates is what PostgreSQL read from the desired schema.
namespace schemagate::schema {

/// One statement, `;` included. A non-empty warning marks a step that loses
/// data (a dropped table or column, a type that may not hold every value);
/// it is written as a comment above the statement and listed to the user.
struct Statement {
  std::string sql;
  std::string warning;
};

/// What diff() produces: statements that run in one transaction, in
/// dependency order, and the CREATE INDEX CONCURRENTLY of new indexes on
/// tables that already exist, which must run outside any transaction.
struct Changes {
  std::vector<Statement> statements;
  std::vector<Statement> concurrent_indexes;
  bool empty() const { return statements.empty() && concurrent_indexes.empty(); }
};

struct DiffOptions {
  /// New indexes on existing tables go to Changes::concurrent_indexes
  /// (CONCURRENTLY) instead of the transactional statements.
  bool concurrent_indexes = true;
};

/// The statements that make `from` into `to`. Renames are not guessed: a
/// table missing from `to` is dropped and a new one created (see rename.h).
Changes diff(const Catalog& from, const Catalog& to, const DiffOptions& options = {});

/// `to` without the indexes `changes` creates concurrently: the catalog
/// between the transactional revision and the concurrent one.
Catalog without_concurrent_indexes(const Catalog& from, const Catalog& to);

/// A name as SQL writes it: bare when it is a plain lowercase word, else
/// quoted with embedded quotes doubled.
std::string identifier(const std::string& name);
/// `schema.name`, each part as identifier() writes it.
std::string qualified(const std::string& schema, const std::string& name);

/// Whether changing a column from type `from` to `to` keeps every value
/// (varchar(50) -> varchar(100) or text, integer -> bigint, ...).
bool widens(const std::string& from, const std::string& to);

}  // namespace schemagate::schema
