#include <catch2/catch.hpp>

#include "engine/database_url.h"
#include "sqlite/sqlite_url.h"

using schemagate::ErrorCode;
using schemagate::engine::redact_url;
using schemagate::engine::resolve_database_url;
using schemagate::sqlite::is_sqlite_url;
using schemagate::sqlite::parse_sqlite_url;

TEST_CASE("SQLAlchemy's three SQLite forms: relative, absolute, in memory", "[sqlite][url]") {
  auto relative = parse_sqlite_url("sqlite:///./test.db");
  REQUIRE(relative);
  CHECK(relative->path == "./test.db");
  CHECK_FALSE(relative->memory);
  auto nested = parse_sqlite_url("sqlite:///data/app.db");
  REQUIRE(nested);
  CHECK(nested->path == "data/app.db");
  auto absolute = parse_sqlite_url("sqlite:////var/lib/app/app.db");
  REQUIRE(absolute);
  CHECK(absolute->path == "/var/lib/app/app.db");
  auto memory = parse_sqlite_url("sqlite:///:memory:");
  REQUIRE(memory);
  CHECK(memory->memory);
  CHECK(memory->path == ":memory:");
}

TEST_CASE("a driver suffix and any case of the scheme select SQLite too", "[sqlite][url]") {
  CHECK(is_sqlite_url("sqlite+pysqlite:///app.db"));
  CHECK(is_sqlite_url("SQLite+aiosqlite:///app.db"));
  CHECK_FALSE(is_sqlite_url("postgresql://h/db"));
  CHECK_FALSE(is_sqlite_url("sqlitedb:///x"));
  CHECK_FALSE(is_sqlite_url("host=db dbname=sqlite"));
  auto pysqlite = parse_sqlite_url("sqlite+pysqlite:///app.db");
  REQUIRE(pysqlite);
  CHECK(pysqlite->path == "app.db");
  CHECK(parse_sqlite_url("SQLITE+aiosqlite:////tmp/a.db")->path == "/tmp/a.db");
}

TEST_CASE("a malformed SQLite URL is exit 2 naming the wrong part", "[sqlite][url]") {
  auto error_of = [](const std::string& url) {
    auto parsed = parse_sqlite_url(url);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code() == ErrorCode::kInvalid);
    CHECK_THAT(parsed.error().message(), Catch::Contains("sqlite:///relative/path.db"));
    return parsed.error().message();
  };
  CHECK_THAT(error_of("sqlite://dbhost/app.db"), Catch::Contains("names a host 'dbhost'"));
  CHECK_THAT(error_of("sqlite:///"), Catch::Contains("no database path"));
  CHECK_THAT(error_of("sqlite://"), Catch::Contains("no database path"));
  CHECK_THAT(error_of("sqlite:app.db"), Catch::Contains("lacks the \"//\""));
  CHECK_THAT(error_of("sqlite:///app.db?timeout=20&mode=ro"),
             Catch::Contains("query parameter 'timeout'"));
  CHECK_THAT(error_of("sqlite+pysqlcipher:///secret.db"), Catch::Contains("encrypted"));
  CHECK_THAT(error_of("sqlite+py-sql:///a.db"), Catch::Contains("driver name"));
  std::string control = error_of(std::string("sqlite:///a\x01.db"));
  CHECK_THAT(control, Catch::Contains("control character"));
  CHECK(control.find('\x01') == std::string::npos);
}

TEST_CASE("resolve_database_url takes a SQLite URL and names its source when bad",
          "[sqlite][url]") {
  CHECK(*resolve_database_url({"sqlite:///./test.db", std::nullopt, std::nullopt}) ==
        "sqlite:///./test.db");
  auto bad = resolve_database_url({std::nullopt, "sqlite://host/x.db", std::nullopt});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code() == ErrorCode::kInvalid);
  CHECK_THAT(bad.error().message(), Catch::StartsWith("$DATABASE_URL: the SQLite URL"));
  auto other = resolve_database_url({"mysql://h/db", std::nullopt, std::nullopt});
  REQUIRE_FALSE(other);
  CHECK_THAT(other.error().message(), Catch::Contains("or sqlite:///path.db"));
}

TEST_CASE("a SQLite URL holds no password: redaction leaves it as it is", "[sqlite][url]") {
  CHECK(redact_url("sqlite:////srv/app.db") == "sqlite:////srv/app.db");
}
