#include <catch2/catch.hpp>

#include "sql/statement_classifier.h"

using schemagate::sql::classify_statement;
using schemagate::sql::StatementKind;

TEST_CASE("transaction control statements", "[sql][classifier]") {
  auto check = [](const std::string& sql, const std::string& command) {
    auto classification = classify_statement(sql);
    CHECK(classification.kind == StatementKind::kTransactionControl);
    CHECK(classification.command == command);
  };
  check("BEGIN", "BEGIN");
  check("begin isolation level serializable", "BEGIN");
  check("START TRANSACTION", "START TRANSACTION");
  check("COMMIT", "COMMIT");
  check("END", "COMMIT");
  check("ROLLBACK", "ROLLBACK");
  check("ABORT", "ROLLBACK");
  check("SAVEPOINT s", "SAVEPOINT");
  check("RELEASE SAVEPOINT s", "RELEASE SAVEPOINT");
  check("ROLLBACK TO s", "ROLLBACK TO SAVEPOINT");
  check("PREPARE TRANSACTION 'x'", "PREPARE TRANSACTION");
  check("COMMIT PREPARED 'x'", "COMMIT PREPARED");
}

TEST_CASE("PL/pgSQL BEGIN ... END is not transaction control", "[sql][classifier]") {
  CHECK(classify_statement("DO $$ BEGIN PERFORM 1; COMMIT; END $$").kind ==
        StatementKind::kOrdinary);
  CHECK(classify_statement("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $f$\n"
                           "BEGIN\n  NULL;\nEND\n$f$")
            .kind == StatementKind::kOrdinary);
}

TEST_CASE("statements that cannot run in a transaction block", "[sql][classifier]") {
  auto check = [](const std::string& sql, const std::string& command) {
    auto classification = classify_statement(sql);
    CHECK(classification.kind == StatementKind::kNoTransactionBlock);
    CHECK(classification.command == command);
  };
  check("CREATE INDEX CONCURRENTLY i ON t (a)", "CREATE INDEX CONCURRENTLY");
  check("create unique index concurrently if not exists i on t (a)", "CREATE INDEX CONCURRENTLY");
  check("DROP INDEX CONCURRENTLY i", "DROP INDEX CONCURRENTLY");
  check("REINDEX INDEX CONCURRENTLY i", "REINDEX CONCURRENTLY");
  check("REINDEX (CONCURRENTLY) TABLE t", "REINDEX CONCURRENTLY");
  check("REINDEX DATABASE d", "REINDEX DATABASE");
  check("VACUUM", "VACUUM");
  check("VACUUM (ANALYZE) t", "VACUUM");
  check("CREATE DATABASE d", "CREATE DATABASE");
  check("DROP DATABASE d", "DROP DATABASE");
  check("CREATE TABLESPACE s LOCATION '/x'", "CREATE TABLESPACE");
  check("DROP TABLESPACE s", "DROP TABLESPACE");
  check("ALTER SYSTEM SET work_mem = '64MB'", "ALTER SYSTEM");
}

TEST_CASE("ordinary statements", "[sql][classifier]") {
  for (const char* sql : {"ALTER TYPE mood ADD VALUE 'meh'", "CREATE INDEX i ON t (a)",
                          "DROP INDEX i", "REINDEX TABLE t", "ANALYZE t", "SELECT 1",
                          "PREPARE q AS SELECT 1", "selec 1", ""}) {
    INFO(sql);
    auto classification = classify_statement(sql);
    CHECK(classification.kind == StatementKind::kOrdinary);
    CHECK(classification.command.empty());
  }
}

TEST_CASE("DDL is flagged however its flagging word is spelt or surrounded",
          "[sql][classifier]") {
  // CREATE, DROP and ALTER are parsed only when they name one of the words
  // that can flag them: every spelling of those words must still be parsed.
  auto check = [](const std::string& sql, const std::string& command) {
    INFO(sql);
    auto classification = classify_statement(sql);
    CHECK(classification.kind == StatementKind::kNoTransactionBlock);
    CHECK(classification.command == command);
  };
  check("create index/* why */concurrently i on t (a)", "CREATE INDEX CONCURRENTLY");
  check("CREATE INDEX\n  CoNcUrReNtLy i ON t (a)", "CREATE INDEX CONCURRENTLY");
  check("drop index\tconcurrently if exists i", "DROP INDEX CONCURRENTLY");
  check("CREATE DATABASE\"d\"", "CREATE DATABASE");
  check("alter system reset all", "ALTER SYSTEM");
  check("DROP TABLESPACE IF EXISTS s -- gone", "DROP TABLESPACE");
}

TEST_CASE("DDL that names no flagging word is ordinary, the words inside names too",
          "[sql][classifier]") {
  for (const char* sql :
       {"CREATE TABLE t (id bigint PRIMARY KEY, name text NOT NULL)",
        "CREATE TABLE database_sizes (concurrently_seen int, system_id int)",
        "CREATE TABLE \"database\" (id int)", "ALTER TABLE t ADD COLUMN tablespace_name text",
        "COMMENT ON TABLE t IS 'CONCURRENTLY'", "DROP TABLE t"}) {
    INFO(sql);
    CHECK(classify_statement(sql).kind == StatementKind::kOrdinary);
  }
}
