#include "cli/termination_log.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

namespace schemagate::cli {
namespace {

// Room for the fixed fields and the worst case of escaping (\u00XX is six
// bytes for one).
constexpr size_t kErrorLimit = (kTerminationMessageLimit - 128) / 6;

std::string shortened(const std::string& text) {
  if (text.size() <= kErrorLimit) return text;
  return text.substr(0, kErrorLimit - 3) + "...";
}

}  // namespace

std::string termination_message(const Outcome& outcome,
                                const std::vector<std::string>& revisions) {
  nlohmann::ordered_json message;
  if (!outcome.error) {
    message["outcome"] = "succeeded";
    message["revisions"] = revisions;
  } else {
    message["outcome"] = "failed";
    message["exitCode"] = outcome.exit_code;
    message["kind"] = to_string(outcome.error->code());
    message["error"] = shortened(outcome.error->message());
  }
  // Bytes that are not UTF-8 (a server message in another encoding) become
  // U+FFFD rather than an exception.
  return message.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Status write_termination_log(const std::string& path, const std::string& message) {
  std::ofstream file(path, std::ios::trunc);
  file << message << "\n";
  file.close();
  if (!file) {
    return Error(ErrorCode::kInvalid, "--termination-log: cannot write " + path + ": " +
                                          std::strerror(errno) +
                                          "; give a writable path (Kubernetes: /dev/termination-log)");
  }
  return {};
}

}  // namespace schemagate::cli
