#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "cli/app.h"
#include "cli/termination_log.h"
#include "script/script_directory.h"
#include "support/temp_dir.h"

using namespace schemagate;
using testing::TempDir;

namespace {

struct Run {
  int exit_code;
  std::string out;
  std::string error;
};

Run run(std::vector<std::string> args) {
  std::ostringstream out;
  cli::Outcome outcome = cli::run(args, out);
  return Run{outcome.exit_code, out.str(), outcome.error ? outcome.error->message() : ""};
}

Run run_in(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), {"--dir", dir.path().string(), "--log-level", "off"});
  return run(args);
}

/// A fork: a1 <- b2, which two heads c3 and d4 build on.
void write_fork(const TempDir& dir) {
  testing::write_migration(dir, "a1a1a1a1a1a1", {});
  testing::write_migration(dir, "b2b2b2b2b2b2", {"a1a1a1a1a1a1"});
  testing::write_migration(dir, "c3c3c3c3c3c3", {"b2b2b2b2b2b2"});
  testing::write_migration(dir, "d4d4d4d4d4d4", {"b2b2b2b2b2b2"});
}

}  // namespace

TEST_CASE("heads and history print revisions to stdout", "[cli]") {
  TempDir dir;
  write_fork(dir);
  Run heads = run_in(dir, {"heads"});
  CHECK(heads.exit_code == 0);
  CHECK(heads.out == "c3c3c3c3c3c3 (head)\nd4d4d4d4d4d4 (head)\n");
  Run history = run_in(dir, {"history", "-r", "b2b2:c3c3"});
  CHECK(history.exit_code == 0);
  CHECK(history.out ==
        "b2b2b2b2b2b2 -> c3c3c3c3c3c3 (head), revision c3c3c3c3c3c3\n"
        "a1a1a1a1a1a1 -> b2b2b2b2b2b2 (branchpoint), revision b2b2b2b2b2b2\n");
}

TEST_CASE("options are accepted before or after the command word", "[cli]") {
  TempDir dir;
  write_fork(dir);
  Run before = run({"--dir", dir.path().string(), "--log-level", "off", "history", "-r", ":b2"});
  Run after = run({"history", "-r", ":b2", "--log-level", "off", "--dir", dir.path().string()});
  CHECK(before.exit_code == 0);
  CHECK(before.out == after.out);
  CHECK_THAT(before.out, Catch::Contains("<base> -> a1a1a1a1a1a1"));
}

TEST_CASE("an option the command does not use is an error naming it", "[cli]") {
  TempDir dir;
  write_fork(dir);
  Run result = run_in(dir, {"heads", "-m", "hello"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.error, Catch::Contains("option --message is not used by 'heads'"));
}

TEST_CASE("unknown commands and options exit 2", "[cli]") {
  CHECK(run({"frobnicate", "--log-level", "off"}).exit_code == 2);
  Run unknown_option = run({"heads", "--no-such-option"});
  CHECK(unknown_option.exit_code == 2);
  CHECK_THAT(unknown_option.error, Catch::Contains("no-such-option"));
  CHECK(run({"--log-format", "xml", "heads"}).exit_code == 2);
}

TEST_CASE("a negative number after the command is an argument, not an option", "[cli]") {
  TempDir dir;
  write_fork(dir);
  Run result = run_in(dir, {"show", "-1"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.error, Catch::Contains("relative target '-1'"));
  Run relative = run_in(dir, {"show", "c3c3-2"});
  CHECK(relative.exit_code == 0);
  CHECK_THAT(relative.out, Catch::StartsWith("Rev: a1a1a1a1a1a1"));
}

TEST_CASE("graph errors exit 2 and name the file", "[cli]") {
  TempDir dir;
  testing::write_migration(dir, "a1a1a1a1a1a1", {});
  testing::write_migration(dir, "a1a1a1a1a1a1", {}, "-- schemagate:branch-labels x\n");
  dir.write("versions/a1a1a1a1a1a1_copy.sql", testing::migration_text("a1a1a1a1a1a1", {}));
  Run result = run_in(dir, {"heads"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.error, Catch::Contains("duplicate revision id a1a1a1a1a1a1"));
  CHECK_THAT(result.error, Catch::Contains("a1a1a1a1a1a1_copy.sql"));
}

TEST_CASE("ambiguous prefixes and several heads for 'head' exit 2", "[cli]") {
  TempDir dir;
  write_fork(dir);
  testing::write_migration(dir, "c3c3c3c3c3c4", {"c3c3c3c3c3c3"});
  Run ambiguous = run_in(dir, {"show", "c3c3"});
  CHECK(ambiguous.exit_code == 2);
  CHECK_THAT(ambiguous.error, Catch::Contains("c3c3c3c3c3c3, c3c3c3c3c3c4"));
  Run head = run_in(dir, {"show", "head"});
  CHECK(head.exit_code == 2);
  CHECK_THAT(head.error, Catch::Contains("several heads (c3c3c3c3c3c4, d4d4d4d4d4d4)"));
}

TEST_CASE("revision builds on the single head", "[cli][revision]") {
  TempDir dir;
  testing::write_migration(dir, "a1a1a1a1a1a1", {});
  Run created = run_in(dir, {"revision", "-m", "Add users table!"});
  REQUIRE(created.exit_code == 0);
  CHECK_THAT(created.out, Catch::EndsWith("_add_users_table.sql\n"));
  auto scripts = script::ScriptDirectory::load(dir.path());
  REQUIRE(scripts.ok());
  REQUIRE(scripts->map().heads().size() == 1);
  auto head = scripts->map().heads().front();
  CHECK(scripts->map().revision(head).parents == std::vector<std::string>{"a1a1a1a1a1a1"});
  CHECK(scripts->map().revision(head).message == "Add users table!");
  CHECK(scripts->migration(head).transactional);
}

TEST_CASE("revision refuses several heads unless told which", "[cli][revision]") {
  TempDir dir;
  write_fork(dir);
  Run refused = run_in(dir, {"revision", "-m", "next"});
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.error, Catch::Contains("several heads (c3c3c3c3c3c3, d4d4d4d4d4d4)"));
  CHECK_THAT(refused.error, Catch::Contains("--parents"));

  Run chosen = run_in(dir, {"revision", "-m", "next", "--parents", "d4d4", "--branch-label",
                            "reports", "--no-transaction"});
  REQUIRE(chosen.exit_code == 0);
  auto scripts = script::ScriptDirectory::load(dir.path());
  REQUIRE(scripts.ok());
  auto owner = scripts->map().label_owner("reports");
  REQUIRE(owner.has_value());
  CHECK(scripts->map().revision(*owner).parents == std::vector<std::string>{"d4d4d4d4d4d4"});
  CHECK_FALSE(scripts->migration(*owner).transactional);
}

TEST_CASE("revision needs a message", "[cli][revision]") {
  TempDir dir;
  testing::write_migration(dir, "a1a1a1a1a1a1", {});
  Run result = run_in(dir, {"revision"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.error, Catch::Contains("-m MESSAGE"));
}

TEST_CASE("merge heads creates one revision over every head", "[cli][merge]") {
  TempDir dir;
  write_fork(dir);
  Run merged = run_in(dir, {"merge", "heads", "-m", "merge c and d"});
  REQUIRE(merged.exit_code == 0);
  auto scripts = script::ScriptDirectory::load(dir.path());
  REQUIRE(scripts.ok());
  REQUIRE(scripts->map().heads().size() == 1);
  auto head = scripts->map().heads().front();
  CHECK(scripts->map().revision(head).parents ==
        std::vector<std::string>{"c3c3c3c3c3c3", "d4d4d4d4d4d4"});
  CHECK(script::normalize_body(scripts->migration(head).up.sql).empty());

  Run nothing = run_in(dir, {"merge", "heads", "-m", "again"});
  CHECK(nothing.exit_code == 2);
  CHECK_THAT(nothing.error, Catch::Contains("nothing to merge"));
}

TEST_CASE("init writes settings and an empty versions directory", "[cli][init]") {
  TempDir dir;
  std::string config = (dir.path() / "schemagate.yaml").string();
  Run created = run({"--config", config, "--log-level", "off", "init"});
  REQUIRE(created.exit_code == 0);
  CHECK(std::filesystem::is_directory(dir.path() / "migrations" / "versions"));
  Run heads = run({"--config", config, "--log-level", "off", "heads"});
  CHECK(heads.exit_code == 0);
  CHECK(heads.out.empty());
  Run again = run({"--config", config, "--log-level", "off", "init"});
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.error, Catch::Contains("already exists"));
}

TEST_CASE("version and help print to stdout and succeed", "[cli]") {
  CHECK_THAT(run({"--version"}).out, Catch::StartsWith("schemagate "));
  Run help = run({"revision", "--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("--branch-label"));
}

TEST_CASE("a termination message fits Kubernetes' 4096 bytes however long the error", "[cli]") {
  using schemagate::cli::Outcome;
  Outcome failed{1, schemagate::Error(schemagate::ErrorCode::kMigrationFailed,
                                      std::string(10000, '\x01') + "tail")};
  std::string message = schemagate::cli::termination_message(failed, {});
  CHECK(message.size() <= schemagate::cli::kTerminationMessageLimit);
  CHECK_THAT(message, Catch::EndsWith("...\"}"));
  CHECK_THAT(message, Catch::StartsWith("{\"outcome\":\"failed\",\"exitCode\":1,"));

  CHECK(schemagate::cli::termination_message(Outcome{}, {"a1", "b2"}) ==
        "{\"outcome\":\"succeeded\",\"revisions\":[\"a1\",\"b2\"]}");
}

TEST_CASE("an expand run reports the contract revisions it left", "[cli][phase]") {
  using schemagate::cli::Outcome;
  CHECK(schemagate::cli::termination_message(Outcome{}, {"b2"}, {"c3", "d4"}) ==
        "{\"outcome\":\"succeeded\",\"revisions\":[\"b2\"],\"contractPending\":true,"
        "\"contractRevisions\":[\"c3\",\"d4\"]}");
  std::vector<std::string> many(500, std::string(32, 'a'));
  std::string message = schemagate::cli::termination_message(Outcome{}, {"b2"}, many);
  CHECK(message.size() <= schemagate::cli::kTerminationMessageLimit);
  CHECK_THAT(message, Catch::Contains("\"contractPending\":true"));
  CHECK_THAT(message, Catch::EndsWith("]}"));
}
