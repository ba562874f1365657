#include <catch2/catch.hpp>

#include "engine/lock_wait.h"
#include "support/fake_clock.h"

using namespace schemagate;
using namespace std::chrono_literals;

TEST_CASE("a lock wait names the holder at the first miss, every report interval and the deadline",
          "[lock]") {
  testing::FakeClock clock;
  engine::LockWait wait(clock, 12s, 5s, "migration lease");
  CHECK(wait.holder_wanted());
  CHECK_FALSE(wait.missed("pod-a").has_value());
  clock.advance(4s);
  CHECK_FALSE(wait.holder_wanted());
  clock.advance(1s);
  CHECK(wait.holder_wanted());
  CHECK_FALSE(wait.missed("pod-a").has_value());
  clock.advance(4s);
  CHECK_FALSE(wait.holder_wanted());
  clock.advance(1s);
  CHECK(wait.holder_wanted());
  CHECK_FALSE(wait.missed("pod-a").has_value());
  clock.advance(1s);
  CHECK_FALSE(wait.holder_wanted());
  clock.advance(1s);
  REQUIRE(wait.holder_wanted());
  std::optional<Error> timed_out = wait.missed("pod-a/41");
  REQUIRE(timed_out.has_value());
  CHECK(timed_out->exit_code() == 4);
  CHECK(timed_out->message() ==
        "migration lease not acquired within 12.00s; held by pod-a/41. Wait for it, or raise "
        "--lock-timeout");
  CHECK(wait.waited_ms() == 12000);
}

TEST_CASE("a lock wait sleeps the poll's backoff, never past the deadline", "[lock]") {
  testing::FakeClock clock;
  BackoffPolicy poll{std::chrono::milliseconds(400), std::chrono::milliseconds(400)};
  engine::LockWait wait(clock, 1s, 5s, "migration lock");
  std::chrono::milliseconds first = wait.next_wait(poll, 0);
  CHECK(first > 0ms);
  CHECK(first <= 400ms);
  clock.advance(900ms);
  CHECK(wait.next_wait(poll, 5) <= 101ms);
  clock.advance(200ms);
  CHECK(wait.next_wait(poll, 6) == 0ms);
}
