#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include "sqlite/connection.h"
#include "sqlite/lease_lock.h"
#include "support/temp_dir.h"

using schemagate::Clock;
using schemagate::ErrorCode;
using schemagate::sqlite::Connection;
using schemagate::sqlite::LeaseLock;
using schemagate::sqlite::LeaseOptions;
using schemagate::sqlite::SqliteUrl;

namespace {

std::unique_ptr<Connection> connect(const std::string& path) {
  auto opened = Connection::open(SqliteUrl{path, false});
  REQUIRE(opened);
  return std::move(opened).value();
}

LeaseOptions options(const std::string& holder) {
  LeaseOptions options;
  options.holder = holder;
  options.tables.schema = "main";
  options.report_every = std::chrono::milliseconds(50);
  return options;
}

}  // namespace

TEST_CASE("a SQLite lease excludes a second taker, who names the holder", "[sqlite][lock]") {
  schemagate::testing::TempDir dir;
  const std::string path = (dir.path() / "app.db").string();
  auto first_connection = connect(path);
  auto second_connection = connect(path);
  LeaseLock first(*first_connection, options("pod-a/1"), Clock::real());
  REQUIRE(first.acquire(std::chrono::seconds(1)));
  CHECK(first.still_held());
  LeaseLock second(*second_connection, options("pod-b/2"), Clock::real());
  auto refused = second.acquire(std::chrono::milliseconds(200));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code() == ErrorCode::kLockTimeout);
  CHECK_THAT(refused.error().message(), Catch::Contains("held by pod-a/1"));
  first.release();
  CHECK(second.acquire(std::chrono::seconds(1)));
}

TEST_CASE("a lease whose holder was killed is taken over at once", "[sqlite][lock]") {
  schemagate::testing::TempDir dir;
  const std::string path = (dir.path() / "app.db").string();
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto opened = Connection::open(SqliteUrl{path, false});
    if (!opened) _exit(2);
    auto* lease = new LeaseLock(**opened, options("killed/1"), Clock::real());
    // Never released: the process ends as a kill -9 would end it.
    _exit(lease->acquire(std::chrono::seconds(5)) ? 0 : 1);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  auto connection = connect(path);
  REQUIRE(connection->query("SELECT holder FROM schemagate_version_lease")[0][0] == "killed/1");
  LeaseLock next(*connection, options("next/2"), Clock::real());
  auto start = std::chrono::steady_clock::now();
  REQUIRE(next.acquire(std::chrono::seconds(10)));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("a step's own transaction renews the lease only while it is ours", "[sqlite][lock]") {
  schemagate::testing::TempDir dir;
  const std::string path = (dir.path() / "app.db").string();
  auto connection = connect(path);
  LeaseLock lease(*connection, options("pod-a/1"), Clock::real());
  REQUIRE(lease.acquire(std::chrono::seconds(1)));
  connection->exec("BEGIN IMMEDIATE");
  CHECK(lease.renew_in(*connection));
  connection->exec("UPDATE schemagate_version_lease SET holder = 'thief/9'");
  CHECK_FALSE(lease.renew_in(*connection));
  connection->exec("ROLLBACK");
}
