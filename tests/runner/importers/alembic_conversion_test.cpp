#include <catch2/catch.hpp>

#include "importers/alembic_conversion.h"

using namespace schemagate;
using importers::AlembicRevision;

namespace {

AlembicRevision revision(const std::string& id, std::vector<std::string> parents,
                         std::optional<std::string> up = std::string("SELECT 1;\n\n")) {
  AlembicRevision r;
  r.id = id;
  r.parents = std::move(parents);
  r.path = "versions/" + id + ".py";
  r.message = "message of " + id;
  r.up = std::move(up);
  r.down = std::string();
  return r;
}

}  // namespace

TEST_CASE("Alembic's listing: one JSON object a revision, or what went wrong", "[importers]") {
  auto listing = importers::parse_alembic_listing(
      R"({"revision": "0002_b", "parents": ["0001_a", "ae10"], "branch_labels": ["x"], )"
      R"("depends_on": [], "message": "b", "path": "versions/b.py", "up": null, )"
      R"("up_error": "AttributeError: no bind", "down": "DROP TABLE b;\n", "down_error": ""})"
      "\n");
  REQUIRE(listing.ok());
  REQUIRE(listing->size() == 1);
  const AlembicRevision& b = listing->front();
  CHECK(b.id == "0002_b");
  CHECK(b.parents == std::vector<std::string>{"0001_a", "ae10"});
  CHECK(b.branch_labels == std::vector<std::string>{"x"});
  CHECK_FALSE(b.up.has_value());
  CHECK(b.up_error == "AttributeError: no bind");
  CHECK(*b.down == "DROP TABLE b;\n");

  auto fatal = importers::parse_alembic_listing(R"({"fatal": "cannot import Alembic"})");
  REQUIRE_FALSE(fatal.ok());
  CHECK(fatal.error().message() == "cannot import Alembic");
  CHECK_THAT(importers::parse_alembic_listing("hello from a revision file\n").error().message(),
             Catch::Contains("not JSON"));
  CHECK_THAT(importers::parse_alembic_listing("").error().message(),
             Catch::Contains("no revisions"));
}

TEST_CASE("Alembic revisions keep their ids, merges and labels; depends_on joins", "[importers]") {
  std::vector<AlembicRevision> history = {revision("0001_a", {}), revision("0002_b", {"0001_a"}),
                                          revision("c3", {"0001_a"}),
                                          revision("0004_merge", {"0002_b", "c3"})};
  history[1].branch_labels = {"billing"};
  AlembicRevision late = revision("0005_late", {"0004_merge"});
  late.depends_on = {"billing"};
  history.push_back(late);
  auto converted = importers::convert_alembic(history);
  REQUIRE(converted.ok());
  const auto& merge = (*converted)[3].migration.revision;
  CHECK(merge.id == "0004_merge");
  CHECK(merge.parents == std::vector<std::string>{"0002_b", "c3"});
  CHECK((*converted)[1].migration.revision.branch_labels == std::vector<std::string>{"billing"});
  CHECK((*converted)[4].migration.revision.parents ==
        std::vector<std::string>{"0004_merge", "0002_b"});
  CHECK((*converted)[0].migration.up.sql == "SELECT 1;\n");
  std::string text = importers::render_converted((*converted)[0]);
  CHECK_THAT(text, Catch::StartsWith("-- imported from alembic: versions/0001_a.py\n"
                                     "-- schemagate:revision 0001_a\n"));
}

TEST_CASE("what Alembic cannot render is written to stop a run, and said", "[importers]") {
  AlembicRevision data = revision("0002_data", {}, std::nullopt);
  data.up_error = "AttributeError: 'NoneType' object has no attribute 'fetchall'";
  auto converted = importers::convert_alembic({data});
  REQUIRE(converted.ok());
  const auto& out = converted->front();
  CHECK_THAT(out.needs_hand, Catch::Contains("upgrade: AttributeError"));
  CHECK_THAT(out.migration.up.sql, Catch::Contains("-- TODO(schemagate import)"));
  CHECK_THAT(out.migration.up.sql,
             Catch::Contains("RAISE EXCEPTION 'revision 0002_data was imported from Alembic "
                             "without its up SQL"));
  CHECK(converted->front().migration.transactional);
}

TEST_CASE("Alembic revisions schemagate cannot keep are refused by file", "[importers]") {
  auto bad_id = importers::convert_alembic({revision("rev-1", {})});
  REQUIRE_FALSE(bad_id.ok());
  CHECK_THAT(bad_id.error().message(),
             Catch::Contains("versions/rev-1.py: revision id 'rev-1' cannot be kept"));
  AlembicRevision dangling = revision("0001_a", {});
  dangling.depends_on = {"nowhere"};
  CHECK_THAT(importers::convert_alembic({dangling}).error().message(),
             Catch::Contains("depends_on 'nowhere' names no single revision"));
  AlembicRevision index = revision("0001_a", {}, std::string("CREATE INDEX CONCURRENTLY i ON t (a);\n"));
  auto concurrent = importers::convert_alembic({index});
  REQUIRE(concurrent.ok());
  CHECK_FALSE(concurrent->front().migration.transactional);
}
