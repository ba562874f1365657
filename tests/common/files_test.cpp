#include <catch2/catch.hpp>

#include <filesystem>

#include "schemagate/common/files.h"
#include "support/temp_dir.h"

using namespace schemagate;
using testing::TempDir;
namespace fs = std::filesystem;

TEST_CASE("a file that never ends is refused at the bound, not read forever", "[files]") {
  auto text = files::read_file("/dev/zero", 64 * 1024);
  REQUIRE_FALSE(text.ok());
  CHECK(text.error().exit_code() == 2);
  CHECK_THAT(text.error().message(), Catch::Contains("/dev/zero: larger than 65536 bytes"));
}

TEST_CASE("a file at the bound is read whole, byte for byte", "[files]") {
  TempDir dir;
  std::string bytes(100000, 'x');
  bytes[5] = '\0';
  auto path = dir.write("f", bytes);
  auto text = files::read_file(path, bytes.size());
  REQUIRE(text.ok());
  CHECK(*text == bytes);
  CHECK_FALSE(files::read_file(path, bytes.size() - 1).ok());
}

TEST_CASE("a directory or a missing file is a typed error naming it", "[files]") {
  TempDir dir;
  auto directory = files::read_file(dir.path());
  REQUIRE_FALSE(directory.ok());
  CHECK_THAT(directory.error().message(), Catch::Contains("is a directory"));
  auto missing = files::read_file(dir.path() / "nope");
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.error().message(), Catch::Contains("nope: cannot be read"));
}

TEST_CASE("a link to itself is an error naming it, not an exception", "[files]") {
  TempDir dir;
  dir.write("a.sql", "");
  fs::create_symlink("loop.sql", dir.path() / "loop.sql");
  auto entries = files::list_directory(dir.path());
  REQUIRE_FALSE(entries.ok());
  CHECK(entries.error().exit_code() == 2);
  CHECK_THAT(entries.error().message(), Catch::Contains("loop.sql: "));
  auto text = files::read_file(dir.path() / "loop.sql");
  REQUIRE_FALSE(text.ok());
  CHECK_THAT(text.error().message(), Catch::Contains("loop.sql"));
}

TEST_CASE("listings are sorted, follow file links and report dangling ones", "[files]") {
  TempDir dir;
  dir.write("b", "");
  dir.write("sub/c", "");
  fs::create_symlink("b", dir.path() / "a");
  fs::create_symlink("gone", dir.path() / "d");
  auto flat = files::list_directory(dir.path());
  REQUIRE(flat.ok());
  REQUIRE(flat->size() == 4);
  CHECK((*flat)[0].path.filename() == "a");
  CHECK((*flat)[0].type == fs::file_type::regular);
  CHECK((*flat)[2].type == fs::file_type::not_found);
  CHECK((*flat)[3].type == fs::file_type::directory);
  auto tree = files::list_directory(dir.path(), true);
  REQUIRE(tree.ok());
  CHECK(tree->size() == 5);
}
