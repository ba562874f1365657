#include "sqlite/connection.h"

#include <sqlite3.h>

#include <filesystem>

#include "schemagate/common/logging.h"

namespace schemagate::sqlite {
namespace {

/// Finalizes the statement on every path.
struct Prepared {
  sqlite3_stmt* statement = nullptr;
  ~Prepared() { sqlite3_finalize(statement); }
};

[[noreturn]] void fail(sqlite3* handle, int code) {
  int offset = sqlite3_error_offset(handle);
  throw SqliteError(sqlite3_extended_errcode(handle) ? sqlite3_extended_errcode(handle) : code,
                    sqlite3_errmsg(handle), offset);
}

/// Prepares the first statement of `sql`. Text after it is refused: one call
/// is one statement, as the callers build them.
void prepare(sqlite3* handle, const std::string& sql, Prepared& prepared) {
  const char* tail = nullptr;
  int code = sqlite3_prepare_v2(handle, sql.c_str(), static_cast<int>(sql.size()),
                                &prepared.statement, &tail);
  if (code != SQLITE_OK) fail(handle, code);
  if (!prepared.statement) return;  // blank or a comment
  for (; tail && *tail; ++tail) {
    if (*tail != ' ' && *tail != '\n' && *tail != '\t' && *tail != '\r' && *tail != ';') {
      throw SqliteError(SQLITE_MISUSE, "more than one statement in one call");
    }
  }
}

}  // namespace

bool SqliteError::busy() const {
  return primary_code() == SQLITE_BUSY || primary_code() == SQLITE_LOCKED;
}

std::string SqliteError::code_name() const {
  const char* name = sqlite3_errstr(code_);
  // sqlite3_errstr gives the English text; the code itself names it exactly.
  return std::string("SQLite error ") + std::to_string(code_) + " (" + (name ? name : "?") + ")";
}

Result<std::unique_ptr<Connection>> Connection::open(const SqliteUrl& url,
                                                     std::chrono::milliseconds busy_timeout) {
  sqlite3* handle = nullptr;
  // Debian builds SQLite with URI filenames on: a path is never read as one.
  const std::string path = url.path.rfind("file:", 0) == 0 ? "./" + url.path : url.path;
  std::error_code error;
  const bool existed = url.memory || std::filesystem::exists(path, error);
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int code = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  if (code != SQLITE_OK) {
    std::string message = handle ? sqlite3_errmsg(handle) : sqlite3_errstr(code);
    sqlite3_close(handle);
    return Error(ErrorCode::kUnreachable,
                 "cannot open the SQLite database " + url.path + ": " + message +
                     " (does its directory exist, and may this user write there?)");
  }
  std::unique_ptr<Connection> connection(new Connection(handle, url));
  sqlite3_extended_result_codes(handle, 1);
  connection->set_busy_timeout(busy_timeout);
  // Opening is lazy: the first read tells a SQLite file from anything else.
  try {
    connection->query("SELECT count(*) FROM sqlite_schema");
  } catch (const SqliteError& e) {
    if (e.busy()) {
      return Error(ErrorCode::kLockTimeout,
                   "the SQLite database " + url.path + " stayed locked by another connection "
                   "for " + std::to_string(busy_timeout.count() / 1000.0).substr(0, 5) +
                   "s: " + e.what() + " (see docs/sqlite.md, \"Readers and writers\")");
    }
    return Error(ErrorCode::kUnreachable, "cannot read the SQLite database " + url.path + ": " +
                                              e.what() + " (is it a SQLite database?)");
  }
  if (!existed) {
    // A relative path from another working directory is the usual way to
    // get an empty database by mistake: say where it went.
    log::info("created the SQLite database, which did not exist",
              {{"path", std::filesystem::absolute(path, error).string()}});
  }
  return connection;
}

Connection::~Connection() { sqlite3_close_v2(handle_); }

int64_t Connection::exec(const std::string& sql) {
  Prepared prepared;
  prepare(handle_, sql, prepared);
  if (!prepared.statement) return 0;
  int code;
  while ((code = sqlite3_step(prepared.statement)) == SQLITE_ROW) {
  }
  if (code != SQLITE_DONE) fail(handle_, code);
  return sqlite3_changes64(handle_);
}

void Connection::exec_script(const std::string& sql) {
  const char* begin = sql.c_str();
  const char* end = begin + sql.size();
  const char* at = begin;
  while (at < end) {
    Prepared prepared;
    const char* tail = nullptr;
    int code = sqlite3_prepare_v2(handle_, at, static_cast<int>(end - at), &prepared.statement,
                                  &tail);
    if (code != SQLITE_OK) {
      int offset = sqlite3_error_offset(handle_);
      throw SqliteError(sqlite3_extended_errcode(handle_), sqlite3_errmsg(handle_),
                        offset < 0 ? static_cast<int>(at - begin)
                                   : static_cast<int>(at - begin) + offset);
    }
    if (!prepared.statement) break;  // only blanks and comments are left
    while ((code = sqlite3_step(prepared.statement)) == SQLITE_ROW) {
    }
    if (code != SQLITE_DONE) {
      throw SqliteError(sqlite3_extended_errcode(handle_), sqlite3_errmsg(handle_),
                        static_cast<int>(at - begin));
    }
    at = tail ? tail : end;
  }
}

int64_t Connection::last_insert_id() const { return sqlite3_last_insert_rowid(handle_); }

std::vector<Row> Connection::query(const std::string& sql) {
  Prepared prepared;
  prepare(handle_, sql, prepared);
  std::vector<Row> rows;
  if (!prepared.statement) return rows;
  int code;
  const int columns = sqlite3_column_count(prepared.statement);
  while ((code = sqlite3_step(prepared.statement)) == SQLITE_ROW) {
    Row row;
    for (int i = 0; i < columns; ++i) {
      const unsigned char* text = sqlite3_column_text(prepared.statement, i);
      if (text) {
        row.emplace_back(std::string(reinterpret_cast<const char*>(text),
                                     static_cast<size_t>(sqlite3_column_bytes(prepared.statement, i))));
      } else {
        row.emplace_back(std::nullopt);
      }
    }
    rows.push_back(std::move(row));
  }
  if (code != SQLITE_DONE) fail(handle_, code);
  return rows;
}

void Connection::set_busy_timeout(std::chrono::milliseconds timeout) {
  sqlite3_busy_timeout(handle_, static_cast<int>(std::min<int64_t>(timeout.count(), INT32_MAX)));
}

bool Connection::in_transaction() const { return sqlite3_get_autocommit(handle_) == 0; }

void Connection::rollback_quietly() noexcept {
  if (in_transaction()) sqlite3_exec(handle_, "ROLLBACK", nullptr, nullptr, nullptr);
}

}  // namespace schemagate::sqlite
