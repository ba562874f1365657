#include "cli/termination_log.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

namespace schemagate::cli {
namespace {

namespace field = runner_contract::field;

// Room for the fixed fields and the worst case of escaping (\u00XX is six
// bytes for one).
constexpr size_t kErrorLimit = (kTerminationMessageLimit - 128) / 6;

std::string shortened(const std::string& text) {
  if (text.size() <= kErrorLimit) return text;
  return text.substr(0, kErrorLimit - 3) + "...";
}

std::string dumped(const nlohmann::ordered_json& message) {
  // Bytes that are not UTF-8 (a server message in another encoding) become
  // U+FFFD rather than an exception.
  return message.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

std::string termination_message(const Outcome& outcome, const std::vector<std::string>& revisions,
                                const std::vector<std::string>& contract_pending) {
  nlohmann::ordered_json message;
  if (!outcome.error) {
    message[field::kOutcome] = runner_contract::kSucceeded;
    message[field::kRevisions] = revisions;
    if (!contract_pending.empty()) {
      message[field::kContractPending] = true;
      // The flag is what the operator acts on; the ids are for people, so a
      // long list is cut to keep the message whole.
      std::vector<std::string> shown = contract_pending;
      for (;;) {
        message[field::kContractRevisions] = shown;
        if (shown.empty() || dumped(message).size() <= kTerminationMessageLimit - 1) break;
        shown.pop_back();
      }
    }
  } else {
    message[field::kOutcome] = runner_contract::kFailed;
    message[field::kExitCode] = outcome.exit_code;
    message[field::kKind] = to_string(outcome.error->code());
    message[field::kError] = shortened(outcome.error->message());
  }
  return dumped(message);
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
