#include <catch2/catch.hpp>

#include "engine/database_url.h"
#include "engine/server_error.h"
#include "support/temp_dir.h"

using namespace schemagate;
using namespace schemagate::engine;

TEST_CASE("the URL comes from the option, then the environment, then the file", "[url]") {
  testing::TempDir dir;
  std::string file = dir.write("url", "postgresql://file@h/db\n").string();
  CHECK(*resolve_database_url({"postgresql://option@h/db", "postgresql://env@h/db", file}) ==
        "postgresql://option@h/db");
  CHECK(*resolve_database_url({std::nullopt, "postgresql://env@h/db", file}) ==
        "postgresql://env@h/db");
  CHECK(*resolve_database_url({std::nullopt, std::nullopt, file}) == "postgresql://file@h/db");
  auto none = resolve_database_url({});
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().exit_code() == 2);
  CHECK_THAT(none.error().message(), Catch::Contains("--database-url-file"));
  auto missing = resolve_database_url({std::nullopt, std::nullopt, "/nonexistent/url"});
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.error().message(), Catch::Contains("/nonexistent/url"));
}

TEST_CASE("passwords with @, : and % are redacted and scrubbed", "[url]") {
  std::string url = "postgresql://app:p%40ss%3Aw%25rd@db.example:5432/shop?sslmode=require";
  CHECK(redact_url(url) == "postgresql://app:***@db.example:5432/shop?sslmode=require");
  std::string message = "FATAL: password p@ss:w%rd or p%40ss%3Aw%25rd rejected";
  std::string scrubbed = scrub_password(message, url);
  CHECK_THAT(scrubbed, !Catch::Contains("p@ss"));
  CHECK_THAT(scrubbed, !Catch::Contains("p%40ss"));
  CHECK(redact_url("postgresql://h/db?user=a&password=secret&x=1") ==
        "postgresql://h/db?user=a&password=***&x=1");
}

TEST_CASE("application_name is added unless the URL sets one", "[url]") {
  CHECK(with_application_name("postgresql://h/db", "schemagate/pod a") ==
        "postgresql://h/db?application_name=schemagate/pod%20a");
  CHECK(with_application_name("postgresql://h/db?sslmode=require", "x") ==
        "postgresql://h/db?sslmode=require&application_name=x");
  CHECK(with_application_name("postgresql://h/db?application_name=mine", "x") ==
        "postgresql://h/db?application_name=mine");
}

TEST_CASE("server errors give their message and LINE", "[server_error]") {
  ServerError error = parse_server_error(
      "ERROR:  syntax error at or near \"TABEL\"\nLINE 7: CREATE TABEL t ();\n               ^\n");
  CHECK(error.message == "syntax error at or near \"TABEL\"");
  CHECK(error.line == 7);
  CHECK(parse_server_error("ERROR:  relation \"x\" does not exist\n").line == 0);
}
