#include <catch2/catch.hpp>

#include "runner/lint/lint_support.h"

using schemagate::lint::Linter;
using schemagate::lint::Severity;
using schemagate::testing::FakeFacts;
using schemagate::testing::flags;
using schemagate::testing::lint_sql;

TEST_CASE("an empty or not yet created table warrants no lock finding", "[lint][facts]") {
  FakeFacts facts;
  facts.with_table("empty", 0).with_table("books", 120000);
  CHECK(lint_sql("CREATE INDEX i ON empty (a)", true, facts).empty());
  CHECK(lint_sql("ALTER TABLE empty ADD COLUMN c int NOT NULL", true, facts).empty());
  // Absent from the database: a pending revision creates it.
  CHECK(lint_sql("CREATE INDEX i ON created_by_a_pending_revision (a)", true, facts).empty());
  auto findings = lint_sql("CREATE INDEX i ON books (a)", true, facts);
  REQUIRE(findings.size() == 1);
  REQUIRE(findings[0].lock);
  CHECK(findings[0].lock->table.find("books (about 120000 rows") == 0);
}

TEST_CASE("the server's version decides what ADD COLUMN ... DEFAULT costs", "[lint][facts]") {
  FakeFacts facts;
  facts.with_table("t", 10);
  facts.version = 100012;
  CHECK(flags(lint_sql("ALTER TABLE t ADD COLUMN c int DEFAULT 0", true, facts),
              "adding-field-with-default"));
  facts.version = 110000;
  CHECK_FALSE(flags(lint_sql("ALTER TABLE t ADD COLUMN c int DEFAULT 0", true, facts),
                    "adding-field-with-default"));
}

TEST_CASE("SET NOT NULL after a validated CHECK (col IS NOT NULL)", "[lint][facts]") {
  FakeFacts facts;
  facts.with_table("t", 10);
  facts.not_null_checks.insert("t.a");
  const std::string set_not_null = "ALTER TABLE t ALTER COLUMN a SET NOT NULL";
  CHECK_FALSE(flags(lint_sql(set_not_null, true, facts), "adding-not-nullable-field"));
  CHECK(flags(lint_sql("ALTER TABLE t ALTER COLUMN b SET NOT NULL", true, facts),
              "adding-not-nullable-field"));
  facts.version = 110000;  // PostgreSQL 11 scans anyway
  CHECK(flags(lint_sql(set_not_null, true, facts), "adding-not-nullable-field"));
}

TEST_CASE("a NOT VALID check validated by an earlier revision counts", "[lint][facts]") {
  schemagate::lint::NoFacts none;
  Linter linter(none, {});
  auto add = linter.lint({"a.sql", "ALTER TABLE t ADD CONSTRAINT a_nn CHECK (a IS NOT NULL) "
                                   "NOT VALID", 1, true});
  CHECK(add.empty());
  CHECK(linter.lint({"b.sql", "ALTER TABLE t VALIDATE CONSTRAINT a_nn", 1, true}).empty());
  CHECK(linter.lint({"c.sql", "ALTER TABLE t ALTER COLUMN a SET NOT NULL", 1, true}).empty());
  // A fresh linter has not seen the validation.
  CHECK(flags(lint_sql("ALTER TABLE t ALTER COLUMN a SET NOT NULL"), "adding-not-nullable-field"));
}

TEST_CASE("column type changes: binary-coercible ones do not rewrite", "[lint][facts]") {
  FakeFacts facts;
  facts.with_table("t", 10);
  facts.column_types["t.name"] = "character varying(50)";
  facts.column_types["t.n"] = "integer";
  CHECK(lint_sql("ALTER TABLE t ALTER COLUMN name TYPE varchar(80)", true, facts).empty());
  CHECK(lint_sql("ALTER TABLE t ALTER COLUMN name TYPE text", true, facts).empty());
  CHECK(flags(lint_sql("ALTER TABLE t ALTER COLUMN name TYPE varchar(20)", true, facts),
              "changing-column-type"));
  auto widened = lint_sql("ALTER TABLE t ALTER COLUMN n TYPE bigint", true, facts);
  REQUIRE(widened.size() == 1);
  CHECK(widened[0].message.find("it is integer") != std::string::npos);
  // Without the database, a change to text may be harmless: a warning only.
  auto unsure = lint_sql("ALTER TABLE t ALTER COLUMN name TYPE text");
  REQUIRE(unsure.size() == 1);
  CHECK(unsure[0].severity == Severity::kWarning);
}

TEST_CASE("DROP INDEX names the index's table from the database", "[lint][facts]") {
  FakeFacts facts;
  facts.with_table("books", 500).with_table("empty", 0);
  facts.index_tables["books_title_idx"] = "books";
  facts.index_tables["empty_idx"] = "empty";
  auto findings = lint_sql("DROP INDEX books_title_idx", true, facts);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message.find("ACCESS EXCLUSIVE on books") != std::string::npos);
  CHECK(lint_sql("DROP INDEX empty_idx", true, facts).empty());
}
