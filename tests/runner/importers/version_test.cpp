#include <catch2/catch.hpp>

#include <algorithm>

#include "importers/version.h"

using schemagate::importers::Version;

namespace {

Version v(const std::string& text) {
  auto version = Version::parse(text);
  REQUIRE(version.ok());
  return *version;
}

}  // namespace

TEST_CASE("versions order numerically, part by part", "[importers][version]") {
  std::vector<Version> versions = {v("10"), v("2"), v("1.1"), v("2_1"), v("1"), v("9"), v("1.10"),
                                   v("1.2")};
  std::sort(versions.begin(), versions.end());
  std::vector<std::string> order;
  for (const Version& version : versions) order.push_back(version.to_string());
  CHECK(order == std::vector<std::string>{"1", "1.1", "1.2", "1.10", "2", "2.1", "9", "10"});
}

TEST_CASE("leading zeros and trailing zero parts do not count", "[importers][version]") {
  CHECK(v("001").to_string() == "1");
  CHECK(v("1.0") == v("1"));
  CHECK(v("2_1") == v("2.1"));
  CHECK(v("0").to_string() == "0");
  CHECK(v("00000000000000").to_string() == "0");
  CHECK(v("20230105120000").to_string() == "20230105120000");
  CHECK(v("99999999999999999999999") < v("100000000000000000000000"));  // past 64 bits
}

TEST_CASE("what is not a version is refused", "[importers][version]") {
  for (const char* text : {"", "1..2", "1.", "a1", "1-2", "v1"}) {
    INFO(text);
    CHECK_FALSE(Version::parse(text).ok());
  }
}
