#include "kube/client.h"

#include <malloc.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

#include <boost/asio/ssl/context.hpp>
#include <cpprest/http_client.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <pplx/threadpool.h>

#include "kube/line_buffer.h"
#include "schemagate/common/logging.h"

namespace schemagate::kube {
namespace {

using web::http::client::http_client;
using web::http::client::http_client_config;

// The client certificate to present: the kubeconfig's, or an exec plugin's.
struct Identity {
  std::string cert_pem;
  std::string key_pem;
};

// Loads the trusted CA and the client certificate into an OpenSSL context;
// throws boost::system::system_error on bad PEM.
void configure_tls(const ClientConfig& config, const Identity& identity,
                   boost::asio::ssl::context& context) {
  if (!config.ca_pem.empty()) {
    // A configured CA is the only one trusted, as client-go does. cpprestsdk
    // gives every connection's context the system's CA bundle before this
    // runs: 3 MiB of parsed certificates per connection, freed here with the
    // store that held them, and handed back to the system (glibc would keep
    // the pages of those many small blocks).
    SSL_CTX_set_cert_store(context.native_handle(), X509_STORE_new());
    malloc_trim(0);
    context.add_certificate_authority(boost::asio::buffer(config.ca_pem));
  }
  if (!identity.cert_pem.empty()) {
    context.use_certificate_chain(boost::asio::buffer(identity.cert_pem));
    context.use_private_key(boost::asio::buffer(identity.key_pem),
                            boost::asio::ssl::context::pem);
  }
}

http_client_config http_config(const ClientConfig& config, const Identity& identity,
                               std::chrono::seconds timeout) {
  http_client_config http;
  http.set_timeout(timeout);
  http.set_validate_certificates(!config.insecure_skip_tls_verify);
  http.set_ssl_context_callback([config, identity](boost::asio::ssl::context& context) {
    configure_tls(config, identity, context);
  });
  return http;
}

Identity static_identity(const ClientConfig& config) {
  return {config.client_cert_pem, config.client_key_pem};
}

web::http::method method_of(int verb) {
  static const web::http::method kMethods[] = {web::http::methods::GET, web::http::methods::POST,
                                               web::http::methods::PUT, web::http::methods::PATCH,
                                               web::http::methods::DEL};
  return kMethods[verb];
}

ApiError transport_error(const ClientConfig& config, const std::string& what) {
  return ApiError(ErrorKind::kTransport, "cannot reach API server " + config.server + " (" +
                                             config.origin + "): " + what);
}

std::string object_ns(const ResourceRef& ref, const Json& object) {
  return ref.namespaced ? namespace_of(object) : "";
}

ApiResult<ObjectList> to_list(ApiResult<Json> answer, const std::string& server) {
  if (!answer) return answer.error();
  Json& json = *answer;
  ObjectList list;
  if (!json.is_object() || !json.has_array_field("items")) {
    return ApiError(ErrorKind::kDecode, "API server " + server + " sent a list without items");
  }
  // Moved, not copied: a page of 500 objects is the operator's largest allocation.
  for (auto& item : json["items"].as_array()) list.items.push_back(std::move(item));
  if (json.has_object_field("metadata")) {
    const Json& metadata = json.at("metadata");
    if (metadata.has_string_field("resourceVersion")) {
      list.resource_version = metadata.at("resourceVersion").as_string();
    }
    if (metadata.has_string_field("continue")) {
      list.continue_token = metadata.at("continue").as_string();
    }
  }
  return list;
}

std::string retry_after_header(const web::http::http_response& response) {
  auto header = response.headers().find("Retry-After");
  return header == response.headers().end() ? "" : header->second;
}

// "host:port" of "https://host:port/prefix", as client-go labels requests.
std::string host_of(const std::string& server) {
  std::string host = server.substr(server.find("://") == std::string::npos
                                       ? 0
                                       : server.find("://") + 3);
  return host.substr(0, host.find('/'));
}

std::optional<WatchEvent::Type> event_type(const std::string& name) {
  if (name == "ADDED") return WatchEvent::Type::kAdded;
  if (name == "MODIFIED") return WatchEvent::Type::kModified;
  if (name == "DELETED") return WatchEvent::Type::kDeleted;
  if (name == "BOOKMARK") return WatchEvent::Type::kBookmark;
  if (name == "ERROR") return WatchEvent::Type::kError;
  return std::nullopt;
}

}  // namespace

namespace {

// cpprestsdk starts 40 I/O threads on first use. Every request here blocks the
// thread that sends it, so the pool only runs socket handlers: a few threads
// do, and each one not started is a stack and a malloc arena less resident.
constexpr std::size_t kIoThreads = 4;
// The most of a watch stream read at once: what has arrived, up to this
// (an event is 1 to 4 KiB; one buffer per open watch).
constexpr std::size_t kWatchBlock = 16 * 1024;

void size_io_pool() {
  static std::once_flag once;
  std::call_once(once, [] {
    try {
      crossplat::threadpool::initialize_with_threads(kIoThreads);
    } catch (const std::exception&) {
      // Already started by an earlier user of cpprestsdk: keep that pool.
    }
  });
}

}  // namespace

Result<std::unique_ptr<Client>> Client::create(ClientConfig config, ClientOptions options) {
  size_io_pool();
  try {
    boost::asio::ssl::context probe(boost::asio::ssl::context::sslv23);
    configure_tls(config, static_identity(config), probe);
  } catch (const std::exception& e) {
    return Error(ErrorCode::kInvalid, "invalid TLS material in " + config.origin +
                                          " (certificate-authority or client certificate/key): " +
                                          e.what());
  }
  try {
    return std::unique_ptr<Client>(new Client(std::move(config), options));
  } catch (const std::exception& e) {
    return Error(ErrorCode::kInvalid, "bad API server address: " + std::string(e.what()));
  }
}

Client::Client(ClientConfig config, ClientOptions options)
    : config_(std::move(config)),
      options_(options),
      host_(host_of(config_.server)),
      token_(config_.token, config_.token_file),
      http_(std::make_shared<http_client>(
          config_.server,
          http_config(config_, static_identity(config_), options_.request_timeout))) {
  if (config_.exec) {
    exec_ = std::make_unique<ExecCredentialSource>(*config_.exec, exec_info(*config_.exec, config_),
                                                   std::make_unique<ProcessPluginRunner>());
  }
}

Client::~Client() = default;

void Client::count(const std::string& method, int code) {
  if (options_.metrics) options_.metrics->on_request(method, host_, code);
}

ApiResult<Client::Auth> Client::auth() {
  // Without a plugin, http_ never changes.
  if (!exec_) {
    return Auth{token_.token(), http_, config_.client_cert_pem, config_.client_key_pem, 0};
  }
  std::lock_guard<std::mutex> lock(http_mutex_);
  Result<ExecCredentialSource::Current> current = exec_->get();
  if (!current) return ApiError(ErrorKind::kUnauthorized, current.error().message());
  const ExecCredential& credential = current->credential;
  if (credential.client_cert_pem != http_cert_) {
    // The plugin issued another certificate: new connections present it.
    Identity identity{credential.client_cert_pem, credential.client_key_pem};
    try {
      boost::asio::ssl::context probe(boost::asio::ssl::context::sslv23);
      configure_tls(config_, identity, probe);
    } catch (const std::exception& e) {
      exec_->invalidate(current->generation);
      return ApiError(ErrorKind::kUnauthorized,
                      config_.exec->origin + ": exec plugin " + config_.exec->command +
                          " printed a client certificate or key that is not valid PEM: " +
                          e.what());
    }
    http_ = std::make_shared<http_client>(config_.server,
                                          http_config(config_, identity, options_.request_timeout));
    http_cert_ = credential.client_cert_pem;
  }
  return Auth{credential.token, http_, credential.client_cert_pem, credential.client_key_pem,
              current->generation};
}

void Client::refused(const Auth& used) {
  if (exec_) {
    exec_->invalidate(used.exec_generation);
  } else {
    token_.invalidate();
  }
}

ApiResult<Json> Client::send(Verb verb, const std::string& path_and_query, const Json* body) {
  ApiResult<Json> answer = send_retried(verb, path_and_query, body);
  // An exec plugin's credential can be revoked or rotated before it expires:
  // the refused one is forgotten, and a second try runs the plugin again.
  if (exec_ && !answer && answer.error().http_status() == 401) {
    answer = send_retried(verb, path_and_query, body);
  }
  return answer;
}

ApiResult<Json> Client::send_retried(Verb verb, const std::string& path_and_query,
                                     const Json* body) {
  bool read = verb == Verb::kGet;
  return with_retries<Json>(
      options_.retry, *options_.clock, never_,
      [&] { return send_once(verb, path_and_query, body); },
      [read](const ApiError& error) {
        if (!error.retryable()) return false;
        // An unanswered or failed write may have been applied: repeat it only
        // when the server said it was not (429, or an explicit Retry-After).
        return read || error.kind() == ErrorKind::kTooManyRequests ||
               error.retry_after().has_value();
      });
}

ApiResult<Json> Client::send_once(Verb verb, const std::string& path_and_query,
                                  const Json* body) {
  web::http::http_request request(method_of(static_cast<int>(verb)));
  request.set_request_uri(path_and_query);
  request.headers().add("Accept", "application/json");
  request.headers().add("User-Agent", "schemagate-operator");
  ApiResult<Auth> authorized = auth();
  if (!authorized) return authorized.error();
  if (!authorized->token.empty()) {
    request.headers().add("Authorization", "Bearer " + authorized->token);
  }
  if (body) {
    request.set_body(body->serialize(), verb == Verb::kPatch ? "application/merge-patch+json"
                                                             : "application/json");
  }
  bool answered = false;
  try {
    web::http::http_response response = authorized->http->request(request).get();
    int status = response.status_code();
    answered = true;
    count(request.method(), status);
    if (status >= 400) {
      std::string text = response.extract_string(true).get();
      ApiError error =
          ApiError::from_response(status, text, retry_after_header(response), config_.server);
      if (error.kind() == ErrorKind::kUnauthorized) refused(*authorized);
      return error;
    }
    std::string text = response.extract_string(true).get();
    if (text.empty()) return Json::object();
    std::error_code parse_error;
    Json json = Json::parse(text, parse_error);
    if (parse_error) {
      return ApiError(ErrorKind::kDecode, "API server " + config_.server +
                                              " sent a body that is not JSON: " +
                                              parse_error.message());
    }
    return json;
  } catch (const std::exception& e) {
    if (!answered) count(request.method(), 0);
    return transport_error(config_, e.what());
  }
}

ApiResult<Json> Client::get(const ResourceRef& ref, const std::string& ns,
                            const std::string& name) {
  return send(Verb::kGet, object_path(ref, ns, name), nullptr);
}

ApiResult<ObjectList> Client::list(const ResourceRef& ref, const std::string& ns,
                                   const ListOptions& options) {
  return to_list(send(Verb::kGet, collection_path(ref, ns) + query_string(options), nullptr),
                 config_.server);
}

ApiResult<ObjectList> Client::list_all(const ResourceRef& ref, const std::string& ns,
                                       ListOptions options) {
  ObjectList all;
  do {
    ApiResult<ObjectList> page = list(ref, ns, options);
    if (!page) return page.error();
    for (auto& item : page->items) all.items.push_back(std::move(item));
    all.resource_version = page->resource_version;
    options.continue_token = page->continue_token;
  } while (!options.continue_token.empty());
  return all;
}

ApiResult<Json> Client::create(const ResourceRef& ref, const std::string& ns,
                               const Json& object) {
  return send(Verb::kPost, collection_path(ref, ref.namespaced ? ns : ""), &object);
}

ApiResult<Json> Client::update(const ResourceRef& ref, const Json& object) {
  return send(Verb::kPut, object_path(ref, object_ns(ref, object), name_of(object)), &object);
}

ApiResult<Json> Client::merge_patch(const ResourceRef& ref, const std::string& ns,
                                    const std::string& name, const Json& patch) {
  return send(Verb::kPatch, object_path(ref, ns, name), &patch);
}

ApiResult<Json> Client::update_status(const ResourceRef& ref, const Json& object) {
  return send(Verb::kPut, object_path(ref, object_ns(ref, object), name_of(object), "status"),
              &object);
}

ApiResult<Json> Client::merge_patch_status(const ResourceRef& ref, const std::string& ns,
                                           const std::string& name, const Json& patch) {
  return send(Verb::kPatch, object_path(ref, ns, name, "status"), &patch);
}

ApiStatus Client::remove(const ResourceRef& ref, const std::string& ns,
                         const std::string& name) {
  ApiResult<Json> answer = send(Verb::kDelete, object_path(ref, ns, name), nullptr);
  if (!answer) return answer.error();
  return Done{};
}

ApiStatus Client::watch(const ResourceRef& ref, const std::string& ns,
                        const WatchOptions& options,
                        const std::function<bool(const WatchEvent&)>& on_event,
                        StopSignal& stop) {
  ApiResult<Auth> authorized = auth();
  if (!authorized) return authorized.error();
  http_client client(config_.server,
                     http_config(config_, {authorized->cert_pem, authorized->key_pem},
                                 options_.watch_idle_timeout));
  web::http::http_request request(web::http::methods::GET);
  request.set_request_uri(collection_path(ref, ns) + query_string(options));
  request.headers().add("Accept", "application/json");
  request.headers().add("User-Agent", "schemagate-operator");
  if (!authorized->token.empty()) {
    request.headers().add("Authorization", "Bearer " + authorized->token);
  }

  pplx::cancellation_token_source cancel;
  // Stopping cancels the request, which closes the connection and so ends
  // the blocking read of the body below.
  StopSignal::CallbackId callback = stop.on_stop([&cancel] { cancel.cancel(); });
  struct Unregister {
    StopSignal& signal;
    StopSignal::CallbackId id;
    ~Unregister() { signal.remove(id); }
  } unregister{stop, callback};

  bool answered = false;
  try {
    web::http::http_response response = client.request(request, cancel.get_token()).get();
    answered = true;
    count(request.method(), response.status_code());
    if (response.status_code() >= 400) {
      std::string text = response.extract_string(true).get();
      ApiError error = ApiError::from_response(response.status_code(), text,
                                               retry_after_header(response), config_.server);
      if (error.kind() == ErrorKind::kUnauthorized) refused(*authorized);
      return error;
    }
    // One event per line, read in blocks of what has arrived.
    auto body = response.body().streambuf();
    std::optional<ApiStatus> ended;
    auto on_line = [&](std::string_view text) {
      if (text.empty()) return true;
      std::error_code parse_error;
      Json json = Json::parse(std::string(text), parse_error);
      if (parse_error || !json.is_object() || !json.has_string_field("type")) {
        ended = ApiError(ErrorKind::kDecode,
                         "API server " + config_.server + " sent a watch line that is not an event");
        return false;
      }
      auto type = event_type(json.at("type").as_string());
      if (!type) {
        log::warn("ignoring a watch event of unknown type", {{"type", json.at("type").as_string()}});
        return true;
      }
      Json object = json.has_field("object") ? std::move(json.at("object")) : Json::object();
      if (on_event(WatchEvent{*type, std::move(object)})) return true;
      ended = Done{};
      return false;
    };
    LineBuffer lines;
    // Not zero-filled: only the bytes read are ever touched.
    std::unique_ptr<uint8_t[]> block(new uint8_t[kWatchBlock]);
    for (;;) {
      // At least one byte (this waits for the server), at most what has arrived.
      std::size_t wanted = std::max<std::size_t>(1, std::min(body.in_avail(), kWatchBlock));
      std::size_t read = body.getn(block.get(), wanted).get();
      if (read == 0) {
        std::string last = lines.take_rest();
        if (!on_line(last)) return *ended;
        return Done{};
      }
      if (!lines.append(reinterpret_cast<const char*>(block.get()), read, on_line)) return *ended;
    }
  } catch (const std::exception& e) {
    if (stop.stop_requested()) return Done{};
    if (!answered) count(request.method(), 0);
    return transport_error(config_, std::string("watch stream broke: ") + e.what());
  }
}

}  // namespace schemagate::kube
