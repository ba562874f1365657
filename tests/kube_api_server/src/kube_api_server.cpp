#include "schemagate/testing/kube_api_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include <cpprest/http_listener.h>

#include "api_handler.h"
#include "certificates.h"
#include "faults.h"
#include "object_store.h"
#include "schemagate/common/logging.h"

namespace schemagate::testing {
namespace {

using web::json::value;
using web::http::http_request;
using web::http::http_response;
using web::http::experimental::listener::http_listener;
using web::http::experimental::listener::http_listener_config;

constexpr auto kTick = std::chrono::milliseconds(100);

/// A port that was free a moment ago: cpprest's listener cannot report the
/// port the kernel picked for port 0, so we ask the kernel ourselves.
Result<int> free_port(const std::string& host) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return Error(ErrorCode::kUnreachable, "kube-api-server: socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = 0;
  ::inet_pton(AF_INET, host.c_str(), &address.sin_addr);
  socklen_t length = sizeof(address);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  if (!ok) return Error(ErrorCode::kUnreachable, "kube-api-server: cannot bind " + host);
  return static_cast<int>(ntohs(address.sin_port));
}

std::string media_type(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  return type;
}

http_response json_response(int status, const value& body) {
  http_response response(static_cast<web::http::status_code>(status));
  response.set_body(body);
  return response;
}

}  // namespace

class KubeApiServer::Impl {
 public:
  Impl(Options options, kube::ServerCredentials credentials, int port)
      : options_(std::move(options)),
        credentials_(std::move(credentials)),
        host_port_(options_.bind_host + ":" + std::to_string(port)),
        url_("https://" + host_port_),
        store_(options_.history_limit),
        handler_(store_, host_port_) {}

  Status open();
  void stop();
  void serve(http_request request);
  http_response serve_admin(const http_request& request, const std::string& path);
  void tick_loop();

  Options options_;
  kube::ServerCredentials credentials_;
  std::string host_port_;
  std::string url_;
  kube::ObjectStore store_;
  kube::ApiHandler handler_;
  kube::Faults faults_;
  std::unique_ptr<http_listener> listener_;

  /// One API request: "METHOD /path?query" and the client's User-Agent.
  struct LoggedRequest {
    std::string line;
    std::string user_agent;
  };

  std::vector<std::string> logged(const std::string& user_agent_prefix) const;

  mutable std::mutex log_mutex_;
  std::vector<LoggedRequest> request_log_;

  std::mutex tick_mutex_;
  std::condition_variable tick_wakeup_;
  bool stopping_ = false;
  std::thread ticker_;
};

Status KubeApiServer::Impl::open() {
  http_listener_config config;
  std::string certificate = credentials_.server_certificate_pem;
  std::string key = credentials_.server_key_pem;
  config.set_ssl_context_callback([certificate, key](boost::asio::ssl::context& context) {
    context.set_options(boost::asio::ssl::context::default_workarounds |
                        boost::asio::ssl::context::no_sslv2 |
                        boost::asio::ssl::context::no_sslv3 |
                        boost::asio::ssl::context::no_tlsv1 |
                        boost::asio::ssl::context::no_tlsv1_1);
    context.use_certificate_chain(boost::asio::buffer(certificate));
    context.use_private_key(boost::asio::buffer(key), boost::asio::ssl::context::pem);
  });
  try {
    listener_ = std::make_unique<http_listener>(web::uri(url_), config);
    listener_->support([this](http_request request) { serve(std::move(request)); });
    listener_->open().wait();
  } catch (const std::exception& error) {
    return Error(ErrorCode::kUnreachable,
                 "kube-api-server: cannot listen on " + url_ + ": " + error.what());
  }
  ticker_ = std::thread([this] { tick_loop(); });
  return {};
}

void KubeApiServer::Impl::tick_loop() {
  auto last_bookmark = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(tick_mutex_);
  while (!tick_wakeup_.wait_for(lock, kTick, [this] { return stopping_; })) {
    auto now = std::chrono::steady_clock::now();
    store_.expire_watches(now);
    if (now - last_bookmark >= options_.bookmark_interval) {
      store_.send_bookmarks();
      last_bookmark = now;
    }
  }
}

void KubeApiServer::Impl::stop() {
  {
    std::lock_guard<std::mutex> lock(tick_mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  tick_wakeup_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  store_.close_all_watches();
  if (listener_) {
    try {
      listener_->close().wait();
    } catch (const std::exception& error) {
      log::warn("kube-api-server: closing the listener failed", {{"error", error.what()}});
    }
  }
}

void KubeApiServer::Impl::serve(http_request request) {
  const std::string path = request.relative_uri().path();
  const std::string query = request.relative_uri().query();
  const std::string method = request.method();
  if (path == "/healthz" || path == "/livez" || path == "/readyz") {
    request.reply(web::http::status_codes::OK, "ok");
    return;
  }
  const auto& headers = request.headers();
  auto authorization = headers.find(web::http::header_names::authorization);
  if (authorization == headers.end() ||
      authorization->second != "Bearer " + credentials_.token) {
    request.reply(json_response(401, kube::unauthorized().to_status()));
    return;
  }
  if (path.rfind("/_test/", 0) == 0) {
    request.reply(serve_admin(request, path));
    return;
  }
  {
    auto user_agent = headers.find(web::http::header_names::user_agent);
    std::lock_guard<std::mutex> lock(log_mutex_);
    request_log_.push_back({method + " " + path + (query.empty() ? "" : "?" + query),
                            user_agent == headers.end() ? "" : user_agent->second});
  }
  if (auto latency = faults_.latency(); latency.count() > 0) std::this_thread::sleep_for(latency);

  kube::ApiReply reply;
  if (std::optional<kube::ApiError> failure = faults_.take_failure()) {
    reply = kube::error_reply(*failure);
  } else {
    kube::ApiRequest api_request;
    api_request.method = method;
    api_request.path = path;
    api_request.query = kube::parse_query(query);
    auto content_type = headers.find(web::http::header_names::content_type);
    if (content_type != headers.end()) api_request.content_type = media_type(content_type->second);
    std::vector<unsigned char> body = request.extract_vector().get();  // protobuf is binary
    api_request.body.assign(body.begin(), body.end());
    reply = handler_.handle(api_request);
  }
  log::debug("kube-api-server request",
             {{"method", method}, {"path", path}, {"status", reply.status}});
  http_response response(static_cast<web::http::status_code>(reply.status));
  if (reply.stream) {
    // No length: cpprest sends the body chunked, as each event is written.
    response.set_body(reply.stream->body(), "application/json");
  } else {
    response.set_body(reply.body);
  }
  if (reply.retry_after_seconds > 0) {
    response.headers().add(U("Retry-After"), std::to_string(reply.retry_after_seconds));
  }
  request.reply(response);
}

http_response KubeApiServer::Impl::serve_admin(const http_request& request,
                                               const std::string& path) {
  if (path == "/_test/requests" && request.method() == "GET") {
    std::map<std::string, std::string> query = kube::parse_query(request.relative_uri().query());
    std::vector<std::string> lines = logged(query["userAgent"]);
    value entries = value::array(lines.size());
    for (size_t i = 0; i < lines.size(); ++i) entries[i] = value::string(lines[i]);
    return json_response(200, entries);
  }
  if (path != "/_test/faults" || request.method() != "POST") {
    return json_response(404, kube::resource_not_found().to_status());
  }
  value faults;
  try {
    faults = http_request(request).extract_json(true).get();
  } catch (const std::exception& error) {
    return json_response(400, kube::bad_request(error.what()).to_status());
  }
  if (!faults.is_object()) return json_response(400, kube::bad_request("want an object").to_status());
  auto integer = [&](const char* key, int fallback) {
    return faults.has_field(key) && faults.at(key).is_integer() ? faults.at(key).as_integer()
                                                                 : fallback;
  };
  if (faults.has_field("failNext")) {
    faults_.fail_next(integer("failNext", 0), integer("status", 500),
                      integer("retryAfterSeconds", 1));
  }
  if (faults.has_field("latencyMs")) {
    faults_.set_latency(std::chrono::milliseconds(integer("latencyMs", 0)));
  }
  if (faults.has_field("compact") && faults.at("compact").is_boolean() &&
      faults.at("compact").as_bool()) {
    store_.compact();
  }
  if (faults.has_field("closeWatches") && faults.at("closeWatches").is_boolean() &&
      faults.at("closeWatches").as_bool()) {
    store_.close_all_watches();
  }
  value result = value::object();
  result["ok"] = value::boolean(true);
  return json_response(200, result);
}

std::vector<std::string> KubeApiServer::Impl::logged(const std::string& user_agent_prefix) const {
  std::lock_guard<std::mutex> lock(log_mutex_);
  std::vector<std::string> lines;
  for (const LoggedRequest& entry : request_log_) {
    if (entry.user_agent.rfind(user_agent_prefix, 0) == 0) lines.push_back(entry.line);
  }
  return lines;
}

Result<std::unique_ptr<KubeApiServer>> KubeApiServer::start(Options options) {
  if (options.state_dir.empty()) {
    return Error(ErrorCode::kInvalid, "kube-api-server: a state directory is required");
  }
  std::error_code error;
  std::filesystem::create_directories(options.state_dir, error);
  if (error) {
    return Error(ErrorCode::kInvalid, "kube-api-server: cannot create " +
                                          options.state_dir.string() + ": " + error.message());
  }
  int port = options.port;
  if (port == 0) {
    Result<int> picked = free_port(options.bind_host);
    if (!picked.ok()) return picked.error();
    port = picked.value();
  }
  Result<kube::ServerCredentials> credentials = kube::generate_credentials(options.bind_host);
  if (!credentials.ok()) return credentials.error();
  auto impl = std::make_unique<Impl>(std::move(options), std::move(credentials.value()), port);
  const auto& dir = impl->options_.state_dir;
  const auto& pki = impl->credentials_;
  for (const auto& [file, text] :
       std::vector<std::pair<std::string, std::string>>{
           {"ca.crt", pki.ca_certificate_pem},
           {"server.crt", pki.server_certificate_pem},
           {"server.key", pki.server_key_pem},
           {"token", pki.token},
           {"kubeconfig", kube::kubeconfig_text(impl->url_, pki)}}) {
    Status written = kube::write_private_file(dir / file, text);
    if (!written.ok()) return written.error();
  }
  Status opened = impl->open();
  if (!opened.ok()) return opened.error();
  return std::unique_ptr<KubeApiServer>(new KubeApiServer(std::move(impl)));
}

KubeApiServer::KubeApiServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

KubeApiServer::~KubeApiServer() { stop(); }

std::string KubeApiServer::url() const { return impl_->url_; }

std::filesystem::path KubeApiServer::kubeconfig() const {
  return impl_->options_.state_dir / "kubeconfig";
}

std::filesystem::path KubeApiServer::ca_certificate() const {
  return impl_->options_.state_dir / "ca.crt";
}

std::string KubeApiServer::token() const { return impl_->credentials_.token; }

void KubeApiServer::stop() { impl_->stop(); }

void KubeApiServer::close_all_watches() { impl_->store_.close_all_watches(); }

void KubeApiServer::fail_next(int count, int status, int retry_after_seconds) {
  impl_->faults_.fail_next(count, status, retry_after_seconds);
}

void KubeApiServer::set_latency(std::chrono::milliseconds latency) {
  impl_->faults_.set_latency(latency);
}

void KubeApiServer::compact() { impl_->store_.compact(); }

std::vector<std::string> KubeApiServer::request_log(const std::string& user_agent_prefix) const {
  return impl_->logged(user_agent_prefix);
}

size_t KubeApiServer::open_watch_count() const { return impl_->store_.watch_count(); }

Status KubeApiServer::set_job_status(const std::string& ns, const std::string& name,
                                     const value& status) {
  std::optional<kube::ResourceType> jobs = impl_->store_.resolve("batch", "v1", "jobs");
  value body = value::object();
  body["status"] = status;
  kube::ApiResult<value> updated =
      impl_->store_.update(*jobs, ns, name, body, kube::Subresource::kStatus);
  if (!updated.ok()) return Error(ErrorCode::kInvalid, updated.error().message);
  return {};
}

}  // namespace schemagate::testing
