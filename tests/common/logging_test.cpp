#include <catch2/catch.hpp>

#include <cmath>
#include <nlohmann/json.hpp>

#include "schemagate/common/logging.h"

using namespace schemagate;

namespace {

const auto kTime = std::chrono::system_clock::time_point(std::chrono::milliseconds(1796661062123));

/// A log line read back by a JSON parser, which refuses invalid UTF-8 and
/// raw control characters.
nlohmann::json parsed(const std::string& line) {
  INFO(line);
  REQUIRE(nlohmann::json::accept(line));
  return nlohmann::json::parse(line);
}

}  // namespace

TEST_CASE("JSON lines carry time, level, message and typed fields", "[logging]") {
  std::string line = log::json_line("info", kTime, "say \"hi\"\n",
                                    {{"path", "a\\b"}, {"count", 3}, {"ok", true}});
  CHECK(line == R"({"time":"2026-12-07T16:31:02.123Z","level":"info","msg":"say \"hi\"\n",)"
                R"("path":"a\\b","count":3,"ok":true})");
}

TEST_CASE("times are RFC 3339 in UTC with milliseconds", "[logging]") {
  CHECK(log::rfc3339_utc(kTime) == "2026-12-07T16:31:02.123Z");
  CHECK(log::rfc3339_utc(std::chrono::system_clock::time_point{}) == "1970-01-01T00:00:00.000Z");
}

TEST_CASE("text lines quote values with spaces only", "[logging]") {
  CHECK(log::text_payload("applied", {{"revision", "3f2a"}, {"message", "add users"}}) ==
        R"(applied revision=3f2a message="add users")");
  CHECK(log::text_payload("m", {{"v", "a\nb"}, {"empty", ""}}) == R"(m v="a\nb" empty="")");
}

TEST_CASE("formats and levels are validated", "[logging]") {
  CHECK(log::parse_format("json").ok());
  CHECK_FALSE(log::parse_format("xml").ok());
  CHECK_FALSE(log::configure(log::Format::kText, "loud").ok());
  CHECK(log::configure(log::Format::kText, "off").ok());
}

TEST_CASE("JSON lines stay valid whatever bytes a message holds", "[logging][hostile]") {
  std::string bytes = "bad \xFF\xC3 utf8 \xED\xA0\x80 \xF4\x90\x80\x80 ok \xC3\xA9 \x01\x1F\x7F";
  bytes += std::string("nul \0 quote \" backslash \\ end", 30);
  std::string line = log::json_line("error", kTime, bytes, {{"sql", bytes}, {bytes, "key"}});
  nlohmann::json object = parsed(line);
  std::string message = object["msg"];
  CHECK_THAT(message, Catch::StartsWith("bad \xEF\xBF\xBD\xEF\xBF\xBD utf8"));
  CHECK_THAT(message, Catch::Contains("ok \xC3\xA9 \x01\x1F\x7F"));
  CHECK_THAT(message, Catch::EndsWith(std::string("nul \0 quote \" backslash \\ end", 30)));
  CHECK(object["sql"] == object["msg"]);
  CHECK(object.size() == 5);
}

TEST_CASE("a NaN field is a JSON string, not a bare nan", "[logging][hostile]") {
  nlohmann::json object = parsed(log::json_line("info", kTime, "m", {{"seconds", std::nan("")}}));
  CHECK(object["seconds"] == "nan");
  CHECK(log::text_payload("m", {{"seconds", 1.5}}) == "m seconds=1.5");
}

TEST_CASE("huge messages and values are cut in log lines", "[logging][hostile]") {
  std::string huge(1 << 20, 'x');
  huge[9000] = '\xC3';
  std::string line = log::json_line("info", kTime, huge, {{"body", huge}});
  CHECK(line.size() < 20000);
  CHECK_THAT(line, Catch::Contains(" more bytes cut)"));
  parsed(line);
  CHECK(log::text_payload(huge, {}).size() < 10000);
}
