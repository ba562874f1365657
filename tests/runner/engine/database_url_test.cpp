#include <catch2/catch.hpp>

#include "postgres/connect_failure.h"
#include "engine/database_url.h"
#include "postgres/server_error.h"
#include "support/temp_dir.h"

using namespace schemagate;
using namespace schemagate::engine;
using namespace schemagate::postgres;

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
}

TEST_CASE("the conninfo adds defaults unless the string sets them", "[url]") {
  auto url = ConnectionString::parse("postgresql://h/db?application_name=mine");
  REQUIRE(url.ok());
  CHECK(url->conninfo({{"application_name", "x"}, {"connect_timeout", "10"}}) ==
        "dbname='db' host='h' application_name='mine' connect_timeout='10'");
  auto quoted = ConnectionString::parse("host=h password='it\\'s \\\\x'");
  REQUIRE(quoted.ok());
  CHECK(quoted->value("password") == "it's \\x");
  auto again = ConnectionString::parse(quoted->conninfo());
  REQUIRE(again.ok());
  CHECK(again->value("password") == "it's \\x");
}

TEST_CASE("passwords libpq reads are never shown, whatever they hold", "[url]") {
  // A raw '#' is part of the password for libpq (the hand parser ended the
  // URL there and printed the rest).
  auto hash = ConnectionString::parse("postgresql://app:se#cr3t@db/shop");
  REQUIRE(hash.ok());
  CHECK(hash->value("password") == "se#cr3t");
  CHECK(hash->redacted() == "postgresql://app:***@db/shop");
  // A raw '/' or a second '@' would make the password's tail the host or
  // the database name: refused, without echoing it.
  for (const char* text :
       {"postgresql://app:se/cr3t@db/shop", "postgresql://app:se@cr3t@db/shop"}) {
    auto refused = ConnectionString::parse(text);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().exit_code() == 2);
    CHECK_THAT(refused.error().message(), !Catch::Contains("cr3t"));
    CHECK_THAT(refused.error().message(), Catch::Contains("percent-encode"));
  }
  // A bad escape: libpq quotes the token in its error.
  auto escape = ConnectionString::parse("postgresql://db/shop?user=app&password=se%zzcr3t");
  REQUIRE_FALSE(escape.ok());
  CHECK(escape.error().exit_code() == 2);
  CHECK_THAT(escape.error().message(), !Catch::Contains("cr3t"));
  CHECK_THAT(escape.error().message(), Catch::Contains("percent-encoded"));
  // key=value: the whole value is the password, '&' included.
  auto pairs = ConnectionString::parse("host=db user=app password=se&cr3t dbname=shop");
  REQUIRE(pairs.ok());
  CHECK(pairs->redacted() == "user='app' password='***' dbname='shop' host='db'");
  CHECK(redact_url("postgresql://h/db?user=a&password=secret&x=1") ==
        "(a connection string that does not parse, not shown)");
  CHECK(redact_url("postgresql://h/db?user=a&password=secret&sslmode=require") ==
        "postgresql://a:***@h/db?sslmode=require");
}

TEST_CASE("short passwords are scrubbed where they stand alone", "[url]") {
  auto url = ConnectionString::parse("postgresql://app:ab@db/shop");
  REQUIRE(url.ok());
  CHECK(url->scrub("password ab rejected for table abc") == "password *** rejected for table abc");
}

TEST_CASE("SQLAlchemy and Heroku URLs are PostgreSQL; other schemes are exit 2", "[url]") {
  for (const char* scheme : {"postgresql", "postgres", "postgresql+psycopg2", "postgresql+psycopg",
                             "postgresql+asyncpg", "PostgreSQL"}) {
    auto url = ConnectionString::parse(std::string(scheme) + "://app:pw@db:6432/shop");
    REQUIRE(url.ok());
    CHECK(url->redacted() == "postgresql://app:***@db:6432/shop");
  }
  auto mysql = ConnectionString::parse("mysql://app:pw@db/shop");
  REQUIRE_FALSE(mysql.ok());
  CHECK(mysql.error().exit_code() == 2);
  CHECK_THAT(mysql.error().message(), Catch::Contains("'mysql' is neither PostgreSQL nor SQLite"));
}

TEST_CASE("an unknown parameter is exit 2 naming it, from any source", "[url]") {
  auto unknown = resolve_database_url({std::nullopt, "postgresql://db/shop?sslmod=require", {}});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().exit_code() == 2);
  CHECK_THAT(unknown.error().message(), Catch::StartsWith("$DATABASE_URL: "));
  CHECK_THAT(unknown.error().message(), Catch::Contains("\"sslmod\""));
  auto pairs = resolve_database_url({"host=db passwrd=x", std::nullopt, {}});
  REQUIRE_FALSE(pairs.ok());
  CHECK_THAT(pairs.error().message(), Catch::Contains("--database-url: "));
  CHECK_THAT(pairs.error().message(), Catch::Contains("\"passwrd\""));
}

TEST_CASE("only connection failures that heal are retried, and named", "[url]") {
  CHECK(classify_connect_failure("connection to server at \"127.0.0.1\", port 1 failed: "
                                 "Connection refused\n\tIs the server running")
            .kind == "connection refused");
  CHECK(classify_connect_failure("FATAL:  the database system is starting up").retryable);
  CHECK(classify_connect_failure("FATAL:  sorry, too many clients already").kind ==
        "too many connections");
  CHECK_FALSE(classify_connect_failure(
                  "FATAL:  password authentication failed for user \"app\"")
                  .retryable);
  CHECK_FALSE(classify_connect_failure("FATAL:  database \"shop\" does not exist").retryable);
}

TEST_CASE("server errors give their message and LINE", "[server_error]") {
  ServerError error = parse_server_error(
      "ERROR:  syntax error at or near \"TABEL\"\nLINE 7: CREATE TABEL t ();\n               ^\n");
  CHECK(error.message == "syntax error at or near \"TABEL\"");
  CHECK(error.line == 7);
  CHECK(parse_server_error("ERROR:  relation \"x\" does not exist\n").line == 0);
}

TEST_CASE("server errors keep their DETAIL and HINT", "[server_error]") {
  ServerError error = parse_server_error(
      "ERROR:  duplicate key value violates unique constraint \"u\"\n"
      "DETAIL:  Key (id)=(1) already exists.\nHINT:  Remove the duplicate.\n");
  CHECK(error.line == 0);
  CHECK(error.describe() ==
        "duplicate key value violates unique constraint \"u\". DETAIL: Key (id)=(1) already "
        "exists. HINT: Remove the duplicate.");
}
