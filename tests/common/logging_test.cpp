#include <catch2/catch.hpp>

#include "schemagate/common/logging.h"

using namespace schemagate;

TEST_CASE("JSON lines escape quotes and control characters", "[logging]") {
  std::string payload = log::render(log::Format::kJson, "say \"hi\"\n",
                                    {{"path", "a\\b"}, {"count", 3}, {"ok", true}});
  CHECK(payload == R"("msg":"say \"hi\"\n","path":"a\\b","count":3,"ok":true)");
}

TEST_CASE("text lines quote values with spaces only", "[logging]") {
  std::string payload =
      log::render(log::Format::kText, "applied", {{"revision", "3f2a"}, {"message", "add users"}});
  CHECK(payload == R"(applied revision=3f2a message="add users")");
}

TEST_CASE("formats and levels are validated", "[logging]") {
  CHECK(log::parse_format("json").ok());
  CHECK_FALSE(log::parse_format("xml").ok());
  CHECK_FALSE(log::configure(log::Format::kText, "loud").ok());
  CHECK(log::configure(log::Format::kText, "off").ok());
}
