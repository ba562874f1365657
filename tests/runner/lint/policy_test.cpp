#include <catch2/catch.hpp>

#include "config/config.h"
#include "lint/policy.h"
#include "runner/lint/lint_support.h"
#include "script/migration_parser.h"

using namespace schemagate;

namespace {

const std::string kHeader = "-- schemagate:revision 3f2a9c1b7d4e\n";

}  // namespace

TEST_CASE("lint-ignore lines are read with their reason and line", "[lint][policy]") {
  auto migration = script::parse_migration(
      "v.sql", kHeader +
                   "-- schemagate:lint-ignore ban-drop-table   the table was never used\n"
                   "-- schemagate:lint-ignore prefer-identity keeps the tutorial's schema\n"
                   "-- schemagate:up\nDROP TABLE t;\n");
  REQUIRE(migration);
  REQUIRE(migration->lint_ignores.size() == 2);
  CHECK(migration->lint_ignores[0].rule == "ban-drop-table");
  CHECK(migration->lint_ignores[0].reason == "the table was never used");
  CHECK(migration->lint_ignores[0].line == 2);
  CHECK(lint::check_ignores(*migration));
}

TEST_CASE("a lint-ignore without a reason, or of an unknown rule, is refused", "[lint][policy]") {
  auto no_reason = script::parse_migration(
      "v.sql", kHeader + "-- schemagate:lint-ignore ban-drop-table\n-- schemagate:up\n");
  REQUIRE_FALSE(no_reason);
  CHECK(no_reason.error().code() == ErrorCode::kInvalid);
  CHECK(no_reason.error().message().find("v.sql:2:") == 0);
  CHECK(no_reason.error().message().find("reason") != std::string::npos);

  auto unknown = script::parse_migration(
      "v.sql", kHeader + "\n-- schemagate:lint-ignore ban-everything because\n-- schemagate:up\n");
  REQUIRE(unknown);
  Status checked = lint::check_ignores(*unknown);
  REQUIRE_FALSE(checked);
  CHECK(checked.error().code() == ErrorCode::kInvalid);
  CHECK(checked.error().message().find("v.sql:3: unknown lint rule 'ban-everything'") == 0);
}

TEST_CASE("ignores and project levels shape the findings", "[lint][policy]") {
  auto findings = testing::lint_sql("CREATE TABLE x (id serial PRIMARY KEY, at timestamp);\n"
                                    "DROP TABLE t;\nCREATE INDEX i ON t (a)");
  REQUIRE(findings.size() == 5);
  lint::RuleLevels levels = {{"prefer-identity", std::nullopt},
                             {"require-concurrent-index-creation", lint::Severity::kWarning},
                             {"prefer-timestamptz", lint::Severity::kError}};
  std::vector<script::LintIgnore> ignores = {{"ban-drop-table", "never used", 2}};
  auto kept = lint::apply_policy(findings, levels, ignores);
  REQUIRE(kept.size() == 3);
  CHECK(kept[0].rule == "prefer-bigint-over-int");
  CHECK(kept[0].severity == lint::Severity::kWarning);
  CHECK(kept[1].rule == "prefer-timestamptz");
  CHECK(kept[1].severity == lint::Severity::kError);
  CHECK(kept[2].rule == "require-concurrent-index-creation");
  CHECK(kept[2].severity == lint::Severity::kWarning);
}

TEST_CASE("schemagate.yaml's lint.rules", "[lint][policy][config]") {
  auto config = config::parse("lint:\n  rules:\n    prefer-text-field: off\n"
                              "    ban-drop-column: error\n",
                              "/p/schemagate.yaml");
  REQUIRE(config);
  REQUIRE(config->lint_rules.size() == 2);
  CHECK(config->lint_rules.at("prefer-text-field").level == "off");
  auto levels = lint::rule_levels(config->lint_rules);
  REQUIRE(levels);
  CHECK_FALSE(levels->at("prefer-text-field").has_value());
  CHECK(levels->at("ban-drop-column") == lint::Severity::kError);

  auto bad_level = config::parse("lint:\n  rules:\n    ban-drop-column: loud\n", "/p/s.yaml");
  REQUIRE_FALSE(bad_level);
  CHECK(bad_level.error().message().find("/p/s.yaml:3:") == 0);

  auto unknown = config::parse("lint:\n  rules:\n    no-such-rule: off\n", "/p/s.yaml");
  REQUIRE(unknown);
  auto unknown_levels = lint::rule_levels(unknown->lint_rules);
  REQUIRE_FALSE(unknown_levels);
  CHECK(unknown_levels.error().message().find("/p/s.yaml:3: unknown lint rule 'no-such-rule'") ==
        0);

  auto unknown_key = config::parse("lint:\n  colour: red\n", "/p/s.yaml");
  CHECK_FALSE(unknown_key);
}
