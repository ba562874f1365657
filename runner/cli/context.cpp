#include "cli/context.h"

#include <filesystem>

namespace schemagate::cli {

Context::Context(const Invocation& invocation, std::ostream& out)
    : invocation_(invocation), out_(out), random_(std::random_device{}()) {}

Result<config::Config> Context::settings() const {
  config::Config settings;
  if (invocation_.has("config")) {
    Result<config::Config> loaded = config::load(invocation_.get<std::string>("config"));
    if (!loaded) return loaded.error();
    settings = *loaded;
  } else if (std::filesystem::exists(config::kDefaultFileName)) {
    Result<config::Config> loaded = config::load(config::kDefaultFileName);
    if (!loaded) return loaded.error();
    settings = *loaded;
  }
  if (invocation_.has("dir")) settings.directory = invocation_.get<std::string>("dir");
  return settings;
}

Result<script::ScriptDirectory> Context::scripts() const {
  Result<config::Config> loaded = settings();
  if (!loaded) return loaded.error();
  return script::ScriptDirectory::load(loaded->directory);
}

}  // namespace schemagate::cli
