#include "protobuf_decoder.h"

#include <catch2/catch.hpp>

namespace schemagate::testing::kube {

TEST_CASE("protobuf bodies of kubectl create decode to JSON", "[kube-api][protobuf]") {
  // "k8s\0" + runtime.Unknown{typeMeta{v1, Namespace}, raw: Namespace{metadata{name: shop,
  // labels{a: b}}}}, as kubectl create namespace sends it.
  const std::string object_meta = std::string("\x0a\x04shop", 6) + std::string("\x5a\x06\x0a\x01" "a" "\x12\x01" "b", 8);
  const std::string ns = std::string("\x0a") + static_cast<char>(object_meta.size()) + object_meta;
  const std::string type_meta = std::string("\x0a\x02v1\x12\x09Namespace", 15);
  const std::string body = std::string("k8s\0", 4) + "\x0a" + static_cast<char>(type_meta.size()) +
                           type_meta + "\x12" + static_cast<char>(ns.size()) + ns;
  auto decoded = decode_protobuf(body);
  REQUIRE(decoded.ok());
  CHECK(decoded.value() == web::json::value::parse(
                               R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop","labels":{"a":"b"}}})"));

  const std::string deployment_type = std::string("\x0a\x07" "apps/v1" "\x12\x0a" "Deployment", 21);
  auto unsupported = decode_protobuf(std::string("k8s\0", 4) + "\x0a" +
                                     static_cast<char>(deployment_type.size()) + deployment_type);
  REQUIRE_FALSE(unsupported.ok());
  CHECK(unsupported.error().code == 415);
  CHECK(decode_protobuf("{}").error().code == 400);
}

}  // namespace schemagate::testing::kube
