#include <catch2/catch.hpp>

#include "kube/config.h"
#include "kube/token_source.h"
#include "support/temp_dir.h"

using schemagate::kube::TokenSource;
using schemagate::testing::TempDir;

TEST_CASE("a static token is used as is", "[kube][token]") {
  TokenSource source("fixed", "");
  CHECK(source.token() == "fixed");
}

TEST_CASE("the in-cluster token file is re-read when it rotates", "[kube][token]") {
  TempDir dir;
  dir.write("token", "token-1\n");
  dir.write("ca.crt", "CA");
  auto config = schemagate::kube::in_cluster_config("10.96.0.1", "443", dir.path());
  REQUIRE(config.ok());
  TokenSource source(config->token, config->token_file);
  CHECK(source.token() == "token-1");
  CHECK(source.token() == "token-1");

  // kubelet swaps the file atomically; the new one has a new size or mtime.
  dir.write("token.new", "token-2-rotated\n");
  std::filesystem::rename(dir.path() / "token.new", dir.path() / "token");
  CHECK(source.token() == "token-2-rotated");
}

TEST_CASE("a token file that disappears keeps the last token", "[kube][token]") {
  TempDir dir;
  auto path = dir.write("token", "token-1");
  TokenSource source("", path);
  CHECK(source.token() == "token-1");
  std::filesystem::remove(path);
  CHECK(source.token() == "token-1");
}

TEST_CASE("invalidate forces a re-read of an unchanged-looking file", "[kube][token]") {
  TempDir dir;
  auto path = dir.write("token", "aaaa");
  TokenSource source("", path);
  CHECK(source.token() == "aaaa");
  auto time = std::filesystem::last_write_time(path);
  dir.write("token", "bbbb");  // same size
  std::filesystem::last_write_time(path, time);  // and same mtime
  CHECK(source.token() == "aaaa");
  source.invalidate();
  CHECK(source.token() == "bbbb");
}
