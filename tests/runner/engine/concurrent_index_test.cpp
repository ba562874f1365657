#include <catch2/catch.hpp>

#include "engine/concurrent_index.h"

using namespace schemagate::engine;

TEST_CASE("a CREATE INDEX CONCURRENTLY names its index and table", "[concurrent_index]") {
  auto index = concurrent_index_of(
      "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS books_isbn ON shop.books (isbn)");
  REQUIRE(index);
  CHECK(index->name == "books_isbn");
  CHECK(index->table == "\"shop\".\"books\"");
  CHECK_FALSE(concurrent_index_of("CREATE INDEX books_isbn ON books (isbn)"));
  CHECK_FALSE(concurrent_index_of("CREATE INDEX CONCURRENTLY ON books (isbn)"));  // no name
}

TEST_CASE("the server's definition of the same index compares equal", "[concurrent_index]") {
  auto index = concurrent_index_of(
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS soak_ac ON soak (a, c DESC) WHERE a > 5");
  REQUIRE(index);
  CHECK(index_definition(
            "CREATE INDEX soak_ac ON public.soak USING btree (a, c DESC) WHERE (a > 5)") ==
        index->definition);
  CHECK(index_definition("CREATE INDEX soak_ac ON public.soak USING btree (a)") !=
        index->definition);
  CHECK(index_definition("CREATE UNIQUE INDEX soak_ac ON public.soak USING btree (a, c DESC) "
                         "WHERE (a > 5)") != index->definition);
}

TEST_CASE("only index statements that can run twice are repeatable", "[concurrent_index]") {
  CHECK(repeatable_statement("CREATE INDEX CONCURRENTLY i ON t (a)"));
  CHECK(repeatable_statement("DROP INDEX CONCURRENTLY IF EXISTS i"));
  CHECK_FALSE(repeatable_statement("DROP INDEX CONCURRENTLY i"));
  CHECK_FALSE(repeatable_statement("CREATE TABLE IF NOT EXISTS t (a int)"));
  CHECK_FALSE(repeatable_statement("VACUUM t"));
}
