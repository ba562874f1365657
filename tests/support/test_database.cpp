#include "support/test_database.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <random>

namespace schemagate::testing {

std::string test_server_url() {
  const char* url = std::getenv("SCHEMAGATE_TEST_DATABASE_URL");
  if (!url || !*url) {
    FAIL("SCHEMAGATE_TEST_DATABASE_URL is not set: run the tests through scripts/test.sh, which "
         "starts a throwaway PostgreSQL");
  }
  return url;
}

std::string url_with_database(const std::string& url, const std::string& database) {
  size_t scheme = url.find("://");
  size_t slash = url.find('/', scheme + 3);
  size_t query = url.find('?', scheme + 3);
  std::string base = url.substr(0, slash == std::string::npos ? query : slash);
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  return base + "/" + database + rest;
}

TestDatabase::TestDatabase() : server_url_(test_server_url()) {
  std::random_device device;
  name_ = "sg_test_" + std::to_string(device()) + std::to_string(device() % 1000);
  pqxx::connection admin(server_url_);
  pqxx::nontransaction create(admin);
  create.exec("CREATE DATABASE " + name_);
  url_ = url_with_database(server_url_, name_);
}

TestDatabase::~TestDatabase() {
  connection_.reset();
  try {
    pqxx::connection admin(server_url_);
    pqxx::nontransaction drop(admin);
    drop.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // Best effort: the server is thrown away after the run anyway.
  }
}

pqxx::connection& TestDatabase::connection() {
  if (!connection_) connection_ = std::make_unique<pqxx::connection>(url_);
  return *connection_;
}

std::string TestDatabase::scalar(const std::string& sql) {
  pqxx::nontransaction query(connection());
  pqxx::result rows = query.exec(sql);
  if (rows.empty()) return "";
  return rows[0][0].is_null() ? "NULL" : rows[0][0].as<std::string>();
}

bool TestDatabase::table_exists(const std::string& name) {
  return scalar("SELECT to_regclass('" + name + "') IS NOT NULL") == "t";
}

}  // namespace schemagate::testing
