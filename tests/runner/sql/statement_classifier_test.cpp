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
