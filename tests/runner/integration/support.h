#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/process.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace schemagate::testing {

/// A migration project on disk: `<root>/versions/*.sql`.
class Project {
 public:
  /// An empty project.
  Project();
  /// A copy of examples/<name>, so tests may edit its files.
  static std::unique_ptr<Project> example(const std::string& name);

  const std::filesystem::path& root() const { return root_; }
  /// Writes a migration; `up` and `down` are the bodies, `header` extra
  /// header lines. Returns the file's path.
  std::filesystem::path add(const std::string& id, const std::vector<std::string>& parents,
                            const std::string& up, const std::string& down = "",
                            const std::string& header = "");

 private:
  TempDir dir_;
  std::filesystem::path root_;
};

/// Runs `schemagate --dir <project> ARGS` against `database` (through
/// $DATABASE_URL) with logs at info.
ProcessResult run_cli(const Project& project, const std::string& database_url,
                         std::vector<std::string> args);
/// The same, started in the background.
std::unique_ptr<Process> start_schemagate(const Project& project, const std::string& database_url,
                                          std::vector<std::string> args);

/// Waits until `runner` has written `text` to stderr: the condition a test
/// waits for before acting on a runner in flight. Fails the test when the
/// runner ends first.
void await_output(Process& runner, const std::string& text);

/// Fails the test with the process's output when it did not exit with `code`.
void expect_exit(const ProcessResult& result, int code);

/// `pg_dump --schema-only` of `url` (the binary next to initdb, $PGBIN).
std::string schema_dump(const std::string& url);

/// The version rows, sorted and joined by spaces.
std::string version_rows(TestDatabase& database);

}  // namespace schemagate::testing
