#include <catch2/catch.hpp>

#include "kube/backoff.h"
#include "kube/retry.h"
#include "support/fake_clock.h"

using namespace std::chrono_literals;
using schemagate::StopSignal;
using schemagate::kube::ApiError;
using schemagate::kube::ApiResult;
using schemagate::kube::Backoff;
using schemagate::kube::BackoffPolicy;
using schemagate::kube::Duration;
using schemagate::kube::ErrorKind;
using schemagate::kube::RetryPolicy;
using schemagate::testing::FakeClock;

TEST_CASE("backoff grows exponentially up to the cap and resets", "[kube]") {
  Backoff backoff(BackoffPolicy{100ms, 1s, 2.0, 0.0});
  CHECK(backoff.next() == Duration(100ms));
  CHECK(backoff.next() == Duration(200ms));
  CHECK(backoff.next() == Duration(400ms));
  CHECK(backoff.next() == Duration(800ms));
  CHECK(backoff.next() == Duration(1s));
  CHECK(backoff.next() == Duration(1s));
  backoff.reset();
  CHECK(backoff.next() == Duration(100ms));
}

TEST_CASE("jitter spreads each delay within the jitter fraction", "[kube]") {
  Backoff backoff(BackoffPolicy{100ms, 10s, 2.0, 0.5}, 42);
  Duration base = 100ms;
  for (int i = 0; i < 6; ++i) {
    Duration delay = backoff.next();
    CHECK(delay >= base / 2);
    CHECK(delay <= base + base / 2);
    base *= 2;
  }
}

namespace {

ApiError failure(ErrorKind kind, int status, std::optional<std::chrono::seconds> retry_after = {}) {
  ApiError error(kind, "failed", status);
  if (retry_after) error.set_retry_after(*retry_after);
  return error;
}

}  // namespace

TEST_CASE("retries wait the backoff delays, then succeed", "[kube]") {
  FakeClock clock;
  StopSignal stop;
  RetryPolicy policy{5, BackoffPolicy{100ms, 10s, 2.0, 0.0}};
  int calls = 0;
  ApiResult<int> result = schemagate::kube::with_retries<int>(
      policy, clock, stop, [&]() -> ApiResult<int> {
        if (++calls < 3) return failure(ErrorKind::kServerError, 500);
        return 7;
      });
  REQUIRE(result.ok());
  CHECK(*result == 7);
  CHECK(clock.sleeps() == std::vector<Duration>{100ms, 200ms});
}

TEST_CASE("429 and 503 honour Retry-After", "[kube]") {
  FakeClock clock;
  StopSignal stop;
  RetryPolicy policy{5, BackoffPolicy{100ms, 10s, 2.0, 0.0}};
  int calls = 0;
  ApiResult<int> result = schemagate::kube::with_retries<int>(
      policy, clock, stop, [&]() -> ApiResult<int> {
        ++calls;
        if (calls == 1) return failure(ErrorKind::kTooManyRequests, 429, std::chrono::seconds(3));
        if (calls == 2) return failure(ErrorKind::kServerError, 503, std::chrono::seconds(1));
        if (calls == 3) return failure(ErrorKind::kServerError, 500);
        return 1;
      });
  REQUIRE(result.ok());
  // The backoff keeps counting while the server names the delays.
  CHECK(clock.sleeps() == std::vector<Duration>{3s, 1s, 400ms});
}

TEST_CASE("a Retry-After beyond the cap is capped", "[kube]") {
  FakeClock clock;
  StopSignal stop;
  RetryPolicy policy{2, BackoffPolicy{100ms, 10s, 2.0, 0.0}, 5s};
  int calls = 0;
  auto result = schemagate::kube::with_retries<int>(policy, clock, stop, [&]() -> ApiResult<int> {
    if (++calls == 1) return failure(ErrorKind::kTooManyRequests, 429, std::chrono::seconds(3600));
    return 1;
  });
  CHECK(result.ok());
  CHECK(clock.sleeps() == std::vector<Duration>{5s});
}

TEST_CASE("non-retryable errors and exhausted attempts end the retries", "[kube]") {
  FakeClock clock;
  StopSignal stop;
  RetryPolicy policy{3, BackoffPolicy{100ms, 10s, 2.0, 0.0}};
  int calls = 0;
  auto not_found = schemagate::kube::with_retries<int>(policy, clock, stop, [&]() -> ApiResult<int> {
    ++calls;
    return failure(ErrorKind::kNotFound, 404);
  });
  CHECK(calls == 1);
  CHECK(not_found.error().kind() == ErrorKind::kNotFound);

  calls = 0;
  auto exhausted = schemagate::kube::with_retries<int>(policy, clock, stop, [&]() -> ApiResult<int> {
    ++calls;
    return failure(ErrorKind::kTransport, 0);
  });
  CHECK(calls == 3);
  CHECK(exhausted.error().kind() == ErrorKind::kTransport);
}

TEST_CASE("a stop request ends the retries", "[kube]") {
  FakeClock clock;
  StopSignal stop;
  stop.request_stop();
  int calls = 0;
  auto result = schemagate::kube::with_retries<int>(RetryPolicy{}, clock, stop,
                                                    [&]() -> ApiResult<int> {
                                                      ++calls;
                                                      return failure(ErrorKind::kServerError, 500);
                                                    });
  CHECK(calls == 1);
  CHECK_FALSE(result.ok());
}
