#include <catch2/catch.hpp>

#include <cmath>

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

namespace {

/// Whether `text` is well-formed UTF-8 holding no raw control character,
/// as a JSON string's content must be.
bool valid_json_text(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20) return false;
    size_t length = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

}  // namespace

TEST_CASE("JSON lines stay valid whatever bytes a message holds", "[logging][hostile]") {
  std::string bytes = "bad \xFF\xC3 utf8 \xED\xA0\x80 \xF4\x90\x80\x80 ok \xC3\xA9 \x01\x1F\x7F";
  std::string payload = log::render(log::Format::kJson, bytes, {{"sql", bytes}});
  CHECK(valid_json_text(payload));
  CHECK_THAT(payload, Catch::Contains("bad \\ufffd\\ufffd utf8"));
  CHECK_THAT(payload, Catch::Contains("ok \xC3\xA9 \\u0001\\u001f\\u007f"));
}

TEST_CASE("a NaN field is a JSON string, not a bare nan", "[logging][hostile]") {
  std::string payload = log::render(log::Format::kJson, "m", {{"seconds", std::nan("")}});
  CHECK_THAT(payload, Catch::EndsWith(R"("seconds":"nan")"));
}

TEST_CASE("huge messages and values are cut in log lines", "[logging][hostile]") {
  std::string huge(1 << 20, 'x');
  huge[9000] = '\xC3';
  std::string payload = log::render(log::Format::kJson, huge, {{"body", huge}});
  CHECK(payload.size() < 20000);
  CHECK_THAT(payload, Catch::Contains(" more bytes cut)"));
  CHECK(valid_json_text(payload));
  CHECK(log::render(log::Format::kText, huge, {}).size() < 10000);
}
