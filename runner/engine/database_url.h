#pragma once

#include <optional>
#include <string>

#include "schemagate/common/result.h"

namespace schemagate::engine {

/// Where the URL may come from, in the order DESIGN §1 gives: the option,
/// the environment, a file (a mounted Kubernetes Secret).
struct UrlSources {
  std::optional<std::string> option;
  std::optional<std::string> environment;
  std::optional<std::string> file;
};

/// The URL to connect with. Exit 2 when none is given or the file is unreadable.
Result<std::string> resolve_database_url(const UrlSources& sources);

/// The URL with its password replaced by `***`: the only form that may
/// appear in logs and errors.
std::string redact_url(const std::string& url);

/// The URL with `application_name` set (unless the URL sets one), so that
/// lock waiters can say which pod holds the lock.
std::string with_application_name(const std::string& url, const std::string& name);

/// Removes every occurrence of the URL's password from `text`, raw and
/// percent-encoded: for messages that come back from libpq or the server.
std::string scrub_password(const std::string& text, const std::string& url);

}  // namespace schemagate::engine
