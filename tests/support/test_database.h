#pragma once

#include <memory>
#include <string>

#include <pqxx/pqxx>

namespace schemagate::testing {

/// A fresh database on the PostgreSQL server that scripts/test.sh starts
/// ($SCHEMAGATE_TEST_DATABASE_URL), dropped again at the end of the test, so
/// tests run in parallel without seeing each other.
class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }
  /// A connection to this database, for assertions.
  pqxx::connection& connection();
  /// Runs one query and returns the first column of the first row as text
  /// ("" for no row, "NULL" for null).
  std::string scalar(const std::string& sql);
  bool table_exists(const std::string& name);

 private:
  std::string server_url_;
  std::string url_;
  std::string name_;
  std::unique_ptr<pqxx::connection> connection_;
};

/// The admin URL of the test server; fails the test when it is not set.
std::string test_server_url();
/// The URL with its database replaced by `database`.
std::string url_with_database(const std::string& url, const std::string& database);

}  // namespace schemagate::testing
