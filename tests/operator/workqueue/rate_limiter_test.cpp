#include <catch2/catch.hpp>

#include "support/fake_clock.h"
#include "workqueue/rate_limiter.h"

using namespace std::chrono_literals;
using schemagate::testing::FakeClock;
using schemagate::workqueue::BucketRateLimiter;
using schemagate::workqueue::Duration;
using schemagate::workqueue::ExponentialRateLimiter;

TEST_CASE("per-key backoff doubles from 5 ms and is capped at 1000 s", "[workqueue]") {
  ExponentialRateLimiter limiter(5ms, 1000s);
  CHECK(limiter.when("a") == Duration(5ms));
  CHECK(limiter.when("a") == Duration(10ms));
  CHECK(limiter.when("a") == Duration(20ms));
  CHECK(limiter.when("b") == Duration(5ms));  // keys are independent
  CHECK(limiter.num_requeues("a") == 3);
  for (int i = 0; i < 40; ++i) limiter.when("a");
  CHECK(limiter.when("a") == Duration(1000s));
}

TEST_CASE("forget resets a key's backoff", "[workqueue]") {
  ExponentialRateLimiter limiter(5ms, 1000s);
  limiter.when("a");
  limiter.when("a");
  limiter.forget("a");
  CHECK(limiter.num_requeues("a") == 0);
  CHECK(limiter.when("a") == Duration(5ms));
}

TEST_CASE("the overall bucket allows a burst, then spaces adds by 1/qps", "[workqueue]") {
  FakeClock clock;
  BucketRateLimiter limiter(10.0, 3, clock);
  CHECK(limiter.when("x") == Duration::zero());
  CHECK(limiter.when("x") == Duration::zero());
  CHECK(limiter.when("x") == Duration::zero());
  CHECK(limiter.when("x") == Duration(100ms));
  CHECK(limiter.when("x") == Duration(200ms));
  clock.advance(1s);  // refills, up to the burst
  CHECK(limiter.when("x") == Duration::zero());
}

TEST_CASE("the default controller limiter takes the longer of both delays", "[workqueue]") {
  FakeClock clock;
  auto limiter = schemagate::workqueue::default_controller_rate_limiter(clock);
  CHECK(limiter->when("a") == Duration(5ms));
  CHECK(limiter->when("a") == Duration(10ms));
  limiter->forget("a");
  CHECK(limiter->when("a") == Duration(5ms));
}
