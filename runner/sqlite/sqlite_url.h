#pragma once

#include <string>

#include "schemagate/common/result.h"

namespace schemagate::sqlite {

/// Where a SQLite database lives, read from a URL as SQLAlchemy spells it:
///   sqlite:///relative/path.db   (relative to the working directory)
///   sqlite:////absolute/path.db
///   sqlite:///:memory:           (a database that lives as long as the run)
/// A driver suffix (sqlite+pysqlite://, sqlite+aiosqlite://) is accepted, so
/// an application's own URL works unchanged.
struct SqliteUrl {
  std::string path;     ///< the file, or ":memory:"
  bool memory = false;  ///< an in-memory database: nothing outlives the run
};

/// True when `text` has the scheme sqlite or sqlite+DRIVER: it selects the
/// SQLite engine, whether or not the rest is well formed.
bool is_sqlite_url(const std::string& text);

/// Exit 2 for a malformed SQLite URL, naming the part that is wrong (a host,
/// an empty path, a query parameter, a missing "//") and the form to write.
Result<SqliteUrl> parse_sqlite_url(const std::string& text);

}  // namespace schemagate::sqlite
