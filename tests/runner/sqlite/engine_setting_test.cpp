#include <catch2/catch.hpp>

#include "config/config.h"
#include "support/temp_dir.h"

using namespace schemagate;
using testing::TempDir;

TEST_CASE("schemagate.yaml's engine is postgresql unless it says sqlite", "[config][sqlite]") {
  TempDir dir;
  CHECK(config::load(dir.write("a.yaml", "directory: m\n"))->engine == "postgresql");
  CHECK(config::load(dir.write("b.yaml", "engine: sqlite\n"))->engine == "sqlite");
  auto bad = config::load(dir.write("c.yaml", "directory: m\nengine: mysql\n"));
  REQUIRE_FALSE(bad);
  CHECK(bad.error().exit_code() == 2);
  CHECK_THAT(bad.error().message(),
             Catch::Contains("c.yaml:2: 'engine' must be 'postgresql' or 'sqlite'"));
}
