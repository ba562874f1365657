#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <pqxx/pqxx>

#include "schema/declared_schema.h"
#include "schemagate/common/result.h"

namespace schemagate::schema {

/// A database of its own on the dev server, named uniquely
/// (`schemagate_scratch_<pid>_<random>`) and dropped when this object dies,
/// whether the work in it succeeded or not. It is made from template0, so
/// nothing an administrator added to template1 leaks into a comparison.
class ScratchDatabase {
 public:
  /// Connects to `dev_url` (retrying what can heal for `wait_for_db`) and
  /// creates the database. Exit 2 for a malformed URL, 3 when the server
  /// cannot be reached or refuses CREATE DATABASE.
  static Result<std::unique_ptr<ScratchDatabase>> create(const std::string& dev_url,
                                                        std::chrono::milliseconds wait_for_db);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& name() const { return name_; }
  /// A conninfo string for the scratch database.
  const std::string& url() const { return url_; }
  /// A connection to it, opened on first use and closed before the drop.
  pqxx::connection& connection();

 private:
  ScratchDatabase() = default;

  std::string dev_url_;
  std::string name_;
  std::string url_;
  std::unique_ptr<pqxx::connection> admin_;
  std::unique_ptr<pqxx::connection> connection_;
};

/// Runs every statement of `files` on `connection`, one by one outside a
/// transaction (a declared CREATE INDEX CONCURRENTLY works). A statement the
/// server refuses is exit 2 naming its file and line and the server's words.
Status apply_declared_schema(pqxx::connection& connection, const std::vector<SourceFile>& files);

}  // namespace schemagate::schema
