#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "script/header_reader.h"
#include "script/script_directory.h"
#include "support/temp_dir.h"

using namespace schemagate;
using script::ScriptDirectory;
using testing::TempDir;

namespace {

std::string id_for(int n) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%012x", n);
  return buffer;
}

/// A history of `count` revisions that forks and merges every ten, so
/// that the graph's order is more than the names' order.
void write_history(const TempDir& dir, int count) {
  for (int n = 1; n <= count; ++n) {
    std::vector<std::string> parents;
    if (n > 1) parents.push_back(id_for(n % 10 == 0 && n > 2 ? n - 2 : n - 1));
    if (n % 10 == 0 && n > 2) parents.push_back(id_for(n - 1));
    std::string extra = n % 7 == 0 ? "-- schemagate:phase contract\n" : "";
    testing::write_migration(dir, id_for(n), parents, extra);
  }
}

/// Everything a loaded directory tells a command about its graph.
std::vector<std::string> describe(const ScriptDirectory& scripts) {
  const script::RevisionMap& map = scripts.map();
  std::vector<std::string> lines;
  for (script::RevisionMap::Index index : map.topological_order()) {
    const script::Migration& migration = scripts.migration(index);
    std::string line = map.id(index) + " <- " + map.describe(map.parents(index)) + " " +
                       map.source(index) + " " + to_string(migration.revision.phase) + " " +
                       migration.revision.message + " up@" +
                       std::to_string(migration.up.first_line);
    lines.push_back(line);
  }
  lines.push_back("heads " + map.describe(map.heads()));
  return lines;
}

}  // namespace

TEST_CASE("threads load the same graph as one thread", "[script_directory][threads]") {
  TempDir dir;
  write_history(dir, 700);
  dir.write("versions/zzzzzzzzzzzz_repeat.sql",
            "-- schemagate:revision zzzzzzzzzzzz\n-- schemagate:repeatable true\n"
            "-- schemagate:up\nSELECT 1;\n");
  auto serial = ScriptDirectory::load(dir.path(), 1);
  REQUIRE(serial.ok());
  REQUIRE(serial->map().size() == 700);
  for (unsigned threads : {2u, 3u, 4u}) {
    auto threaded = ScriptDirectory::load(dir.path(), threads);
    REQUIRE(threaded.ok());
    CHECK(describe(*threaded) == describe(*serial));
    REQUIRE(threaded->repeatables().size() == 1);
    CHECK(threaded->repeatables().front().up.sql == "SELECT 1;\n");
  }
}

TEST_CASE("threads report the same problems, in the files' order, as one thread",
          "[script_directory][threads]") {
  TempDir dir;
  write_history(dir, 700);
  // Broken files spread over the history, so that different threads meet them.
  dir.write("versions/" + id_for(5) + "_test.sql",
            "-- schemagate:revision " + id_for(5) + "\nSELECT 1;\n-- schemagate:up\n");
  dir.write("versions/" + id_for(250) + "_test.sql",
            testing::migration_text(id_for(250), {id_for(249)}, "SELECT 1;\n", "SELECT 1;\n",
                                    "-- schemagate:phase later\n"));
  dir.write("versions/" + id_for(480) + "_test.sql", testing::migration_text("abcdefabcdef", {}));
  std::string nul = "-- schemagate:revision " + id_for(690) + "\n-- schemagate:parents " +
                    id_for(689) + "\n";
  nul += std::string("-- \0\n", 5) + "-- schemagate:up\n";
  dir.write("versions/" + id_for(690) + "_test.sql", nul);
  auto serial = ScriptDirectory::load(dir.path(), 1);
  REQUIRE_FALSE(serial.ok());
  const std::string& message = serial.error().message();
  // Each broken file by name and line, in the order of the names.
  size_t first = message.find(id_for(5) + "_test.sql:2: SQL before");
  size_t second = message.find(id_for(250) + "_test.sql:4: '-- schemagate:phase' must be");
  size_t third = message.find(id_for(480) + "_test.sql: declares revision abcdefabcdef");
  size_t fourth = message.find(id_for(690) + "_test.sql:3: a NUL byte");
  CHECK(first < message.find('\n'));
  CHECK(first < second);
  CHECK(second < third);
  CHECK(third < fourth);
  CHECK(fourth != std::string::npos);
  for (int round = 0; round < 5; ++round) {
    for (unsigned threads : {2u, 4u}) {
      auto threaded = ScriptDirectory::load(dir.path(), threads);
      REQUIRE_FALSE(threaded.ok());
      CHECK(threaded.error().message() == message);
    }
  }
}

TEST_CASE("read_migrations returns each file's migration or problem in the order of the names",
          "[script_directory][threads]") {
  TempDir dir;
  write_history(dir, 300);
  dir.write("versions/" + id_for(100) + "_test.sql", "-- schemagate:revision x-y\n");
  dir.write("versions/" + id_for(250) + "_test.sql", testing::migration_text("abcdefabcdef", {}));
  auto directory = script::VersionsDirectory::open(dir.path() / "versions");
  REQUIRE(directory.ok());
  auto names = directory->sql_file_names();
  REQUIRE(names.ok());
  script::ReadFiles read = script::read_migrations(*directory, *names, 3);
  REQUIRE(read.migrations.size() == 300);
  REQUIRE(read.errors.size() == 2);
  CHECK(read.errors[0].first == 99);
  CHECK_THAT(read.errors[0].second.message(), Catch::Contains(id_for(100) + "_test.sql:1:"));
  CHECK(read.errors[1].first == 249);
  CHECK_THAT(read.errors[1].second.message(),
             Catch::Contains(id_for(250) + "_test.sql: declares revision abcdefabcdef"));
  for (size_t i = 0; i < read.migrations.size(); ++i) {
    if (i == 99 || i == 249) continue;
    INFO((*names)[i]);
    CHECK(read.migrations[i].revision.id == id_for(static_cast<int>(i) + 1));
    CHECK(read.migrations[i].path == directory->path_of((*names)[i]));
  }
}

TEST_CASE("a short history is read on one thread, a long one on a few",
          "[script_directory][threads]") {
  CHECK(script::reading_threads(0) == 1);
  CHECK(script::reading_threads(100) == 1);
  CHECK(script::reading_threads(1000) == 1);
  CHECK(script::reading_threads(1500) == 2);
  CHECK(script::reading_threads(10000) == 4);
}
