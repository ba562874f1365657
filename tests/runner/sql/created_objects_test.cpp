#include <catch2/catch.hpp>

#include "sql/created_objects.h"

using schemagate::sql::created_objects;

namespace {

std::string described(const std::string& statement) {
  std::string text;
  for (const auto& object : created_objects(statement)) {
    text += (text.empty() ? "" : "; ") + object.kind + " " + object.display();
  }
  return text;
}

}  // namespace

TEST_CASE("created_objects names what CREATE statements make", "[sql]") {
  CHECK(described("CREATE TABLE users (id int)") == "table users");
  CHECK(described("create table if not exists app.users (id int)") == "table app.users");
  CHECK(described("CREATE TABLE \"Mixed Case\" (id int)") == "table Mixed Case");
  CHECK(described("CREATE TABLE t2 AS SELECT 1") == "table t2");
  CHECK(described("CREATE MATERIALIZED VIEW s.mv AS SELECT 1") == "materialized view s.mv");
  CHECK(described("CREATE VIEW v AS SELECT 1") == "view v");
  CHECK(described("CREATE SEQUENCE seq") == "sequence seq");
  CHECK(described("CREATE UNIQUE INDEX users_id ON app.users (id)") == "index app.users_id");
  CHECK(described("CREATE TYPE s.mood AS ENUM ('ok')") == "type s.mood");
  CHECK(described("CREATE TYPE pair AS (a int, b int)") == "type pair");
  CHECK(described("CREATE DOMAIN positive AS int CHECK (VALUE > 0)") == "type positive");
  CHECK(described("CREATE SCHEMA inventory") == "schema inventory");
}

TEST_CASE("created_objects leaves out what repeats harmlessly or names nothing", "[sql]") {
  CHECK(described("CREATE SCHEMA IF NOT EXISTS app") == "");
  CHECK(described("CREATE OR REPLACE VIEW v AS SELECT 1") == "");
  CHECK(described("CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'") == "");
  CHECK(described("CREATE TEMP TABLE scratch (id int)") == "");
  CHECK(described("CREATE INDEX ON users (id)") == "");
  CHECK(described("INSERT INTO users VALUES (1)") == "");
  CHECK(described("ALTER TABLE users ADD COLUMN name text") == "");
  CHECK(described("CREATE TABLE broken (") == "");
  CHECK(described("") == "");
}
