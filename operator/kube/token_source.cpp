#include "kube/token_source.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include "schemagate/common/logging.h"

namespace schemagate::kube {
namespace {

std::string trim(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  std::size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  return text.substr(start);
}

}  // namespace

std::string TokenSource::token() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (file_.empty()) return token_;
  std::error_code error;
  auto time = std::filesystem::last_write_time(file_, error);
  auto size = error ? 0 : std::filesystem::file_size(file_, error);
  if (error) {
    log::warn("cannot stat the token file; keeping the last token",
              {{"file", file_.string()}, {"error", error.message()}});
    return token_;
  }
  if (read_ && time == read_time_ && size == read_size_) return token_;
  std::ifstream in(file_);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    log::warn("cannot read the token file; keeping the last token", {{"file", file_.string()}});
    return token_;
  }
  token_ = trim(text.str());
  read_time_ = time;
  read_size_ = size;
  read_ = true;
  return token_;
}

void TokenSource::invalidate() {
  std::lock_guard<std::mutex> lock(mutex_);
  read_ = false;
}

}  // namespace schemagate::kube
