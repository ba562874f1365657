#include <catch2/catch.hpp>

#include "support/graphs.h"

using namespace schemagate;
using script::RevisionMap;
using script::Target;
using testing::at;

namespace {

std::vector<std::string> resolve(const RevisionMap& map, const std::string& spec,
                                 const std::optional<std::vector<std::string>>& current = {}) {
  std::optional<Target> rows;
  if (current) rows = at(map, *current);
  auto target = script::resolve_target(map, spec, rows);
  if (!target) FAIL(spec + ": " + target.error().message());
  return map.ids(*target);
}

Error failure(const RevisionMap& map, const std::string& spec,
              const std::optional<std::vector<std::string>>& current = {}) {
  std::optional<Target> rows;
  if (current) rows = at(map, *current);
  auto target = script::resolve_target(map, spec, rows);
  REQUIRE_FALSE(target.ok());
  return target.error();
}

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("head, heads and base", "[target]") {
  RevisionMap diamond = testing::diamond();
  CHECK(resolve(diamond, "head") == Ids{"f6"});
  CHECK(resolve(diamond, "heads") == Ids{"f6"});
  CHECK(resolve(diamond, "base").empty());

  RevisionMap fork = testing::fork();
  CHECK(resolve(fork, "heads") == Ids{"d5", "e5"});
  Error several = failure(fork, "head");
  CHECK(several.exit_code() == 2);
  CHECK_THAT(several.message(), Catch::Contains("several heads (d5, e5)"));
  CHECK_THAT(several.message(), Catch::Contains("merge"));
}

TEST_CASE("full ids and unique prefixes", "[target]") {
  RevisionMap fork = testing::fork();
  CHECK(resolve(fork, "c3") == Ids{"c3"});
  CHECK(resolve(fork, "e") == Ids{"e5"});
  Error ambiguous = failure(fork, "d");
  CHECK(ambiguous.exit_code() == 2);
  CHECK_THAT(ambiguous.message(), Catch::Contains("ambiguous revision prefix 'd' matches d4, d5"));
  Error unknown = failure(fork, "99");
  CHECK_THAT(unknown.message(), Catch::Contains("no revision, prefix or branch label '99'"));
}

TEST_CASE("branch labels and label@head", "[target]") {
  RevisionMap fork = testing::fork();
  CHECK(resolve(fork, "left") == Ids{"d4"});
  CHECK(resolve(fork, "left@head") == Ids{"d5"});
  CHECK(resolve(fork, "right@head") == Ids{"e5"});
  CHECK(resolve(fork, "left@d5") == Ids{"d5"});
  CHECK_THAT(failure(fork, "left@e5").message(), Catch::Contains("not on branch 'left'"));
  CHECK_THAT(failure(fork, "nope@head").message(), Catch::Contains("unknown branch label 'nope'"));
}

TEST_CASE("REV+N and REV-N walk from a named revision", "[target]") {
  RevisionMap fork = testing::fork();
  CHECK(resolve(fork, "a1+2") == Ids{"c3"});
  CHECK(resolve(fork, "d5-2") == Ids{"c3"});
  CHECK(resolve(fork, "left@head-1") == Ids{"d4"});
  CHECK(resolve(fork, "a1-1").empty());  // one step below the base is base
  CHECK(resolve(fork, "base+1") == Ids{"a1"});
  CHECK_THAT(failure(fork, "a1-2").message(), Catch::Contains("walks past base"));
  CHECK_THAT(failure(fork, "e5+1").message(), Catch::Contains("walks past head e5"));
}

TEST_CASE("a walk from a branch point is ambiguous", "[target]") {
  RevisionMap fork = testing::fork();
  Error error = failure(fork, "c3+1");
  CHECK(error.exit_code() == 2);
  CHECK_THAT(error.message(), Catch::Contains("ambiguous walk"));
  CHECK_THAT(error.message(), Catch::Contains("c3 branches into d4, e5"));
}

TEST_CASE("a walk down from a merge lands on all its parents, once", "[target]") {
  RevisionMap diamond = testing::diamond();
  CHECK(resolve(diamond, "f6-1") == Ids{"d4", "e5"});
  CHECK_THAT(failure(diamond, "f6-2").message(), Catch::Contains("ambiguous walk"));
}

TEST_CASE("+N and -N count from the single current revision", "[target]") {
  RevisionMap fork = testing::fork();
  CHECK(resolve(fork, "+1", Ids{"a1"}) == Ids{"b2"});
  CHECK(resolve(fork, "+2", Ids{}) == Ids{"b2"});  // from an empty database
  CHECK(resolve(fork, "-1", Ids{"d5"}) == Ids{"d4"});
  CHECK(resolve(fork, "-3", Ids{"c3"}).empty());

  Error several = failure(fork, "-1", Ids{"d5", "e5"});
  CHECK(several.exit_code() == 5);
  CHECK_THAT(several.message(), Catch::Contains("several current heads (d5, e5)"));

  Error no_database = failure(fork, "+1");
  CHECK(no_database.exit_code() == 2);
  CHECK_THAT(no_database.message(), Catch::Contains("current revision"));
}

TEST_CASE("a label that ends in -N is a label, not a walk", "[target]") {
  RevisionMap map = testing::graph({{"a1", {}, {}, ""}, {"b2", {"a1"}, {"release-1"}, ""}});
  CHECK(resolve(map, "release-1") == Ids{"b2"});
}

TEST_CASE("Alembic-style ids resolve by id, prefix and walk", "[target]") {
  auto built = RevisionMap::build({{"0001_initial", {}, {}, ""},
                                   {"0002_users", {"0001_initial"}, {"users"}, ""},
                                   {"0003_posts", {"0002_users"}, {}, ""}});
  REQUIRE(built.ok());
  const RevisionMap& map = *built;
  CHECK(resolve(map, "0002_users") == Ids{"0002_users"});
  CHECK(resolve(map, "0003") == Ids{"0003_posts"});
  CHECK(resolve(map, "0001_initial+2") == Ids{"0003_posts"});
  CHECK(resolve(map, "users@0003_posts") == Ids{"0003_posts"});
  CHECK(resolve(map, "-1", Ids{"0003_posts"}) == Ids{"0002_users"});
  CHECK_THAT(failure(map, "000").message(), Catch::Contains("ambiguous revision prefix '000'"));
}

TEST_CASE("a branch label may not be a revision id", "[target][validation]") {
  auto built = RevisionMap::build({{"0001_initial", {}, {}, ""},
                                   {"0002_users", {"0001_initial"}, {"0001_initial"}, ""}});
  REQUIRE_FALSE(built.ok());
  CHECK_THAT(built.error().message(), Catch::Contains("would be read as a revision target"));
}
