#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "schemagate/common/result.h"
#include "sqlite/sqlite_url.h"

struct sqlite3;

namespace schemagate::sqlite {

/// An error SQLite reported for a statement: its extended result code, its
/// message, and where in the statement it is when SQLite says so.
class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message, int offset = -1)
      : std::runtime_error(message), code_(code), offset_(offset) {}
  int code() const { return code_; }
  int primary_code() const { return code_ & 0xff; }
  /// Byte offset of the error in the statement; -1 when unknown.
  int offset() const { return offset_; }
  /// Another connection holds the lock this one needs (SQLITE_BUSY or
  /// SQLITE_LOCKED): waiting may help, the statement itself is fine.
  bool busy() const;
  /// "SQLITE_CONSTRAINT_UNIQUE", for messages and the history.
  std::string code_name() const;

 private:
  int code_;
  int offset_;
};

using Row = std::vector<std::optional<std::string>>;

/// One connection to a SQLite database file (or to a database in memory).
/// Every method throws SqliteError; Database::guard turns it into a typed
/// error.
class Connection {
 public:
  /// Opens (creating when missing, as SQLAlchemy does) the database of
  /// `url`, waiting up to `busy_timeout` for another connection's lock.
  /// Exit 3 when it cannot be opened or is not a SQLite database, exit 4
  /// when it stays locked.
  static Result<std::unique_ptr<Connection>> open(
      const SqliteUrl& url, std::chrono::milliseconds busy_timeout = std::chrono::seconds(5));
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Runs one statement, dropping its rows; returns how many rows it changed.
  int64_t exec(const std::string& sql);
  /// Runs every statement of `sql` in turn (SQLite's prepare loop). A
  /// failure's offset() is counted from the start of `sql`.
  void exec_script(const std::string& sql);
  /// The rows of one statement, every value as text (NULL: nullopt).
  std::vector<Row> query(const std::string& sql);
  /// How long a statement waits for another connection's lock before it
  /// fails with SQLITE_BUSY.
  void set_busy_timeout(std::chrono::milliseconds timeout);
  int64_t last_insert_id() const;
  /// True while a transaction is open.
  bool in_transaction() const;
  /// Rolls back an open transaction, if any, ignoring errors (cleanup).
  void rollback_quietly() noexcept;
  const SqliteUrl& url() const { return url_; }

 private:
  Connection(sqlite3* handle, SqliteUrl url) : handle_(handle), url_(std::move(url)) {}

  sqlite3* handle_;
  SqliteUrl url_;
};

}  // namespace schemagate::sqlite
