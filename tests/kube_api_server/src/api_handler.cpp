#include "api_handler.h"

#include <sstream>

#include "openapi.h"
#include "protobuf_decoder.h"

namespace schemagate::testing::kube {
namespace {

using web::json::value;

ApiReply ok_reply(value body, int status = 200) {
  ApiReply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

template <typename T>
ApiReply reply_of(const ApiResult<T>& result, int status = 200) {
  if (!result.ok()) return error_reply(result.error());
  return ok_reply(result.value(), status);
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  std::stringstream stream(path);
  std::string segment;
  while (std::getline(stream, segment, '/')) {
    if (!segment.empty()) segments.push_back(segment);
  }
  return segments;
}

std::string query_value(const ApiRequest& request, const std::string& key) {
  auto found = request.query.find(key);
  return found == request.query.end() ? "" : found->second;
}

bool query_flag(const ApiRequest& request, const std::string& key) {
  std::string text = query_value(request, key);
  return text == "1" || text == "true";
}

value version_info() {
  value info = value::object();
  info["major"] = value::string("1");
  info["minor"] = value::string("35");
  info["emulationMajor"] = value::string("1");
  info["emulationMinor"] = value::string("35");
  info["gitVersion"] = value::string("v1.35.0-schemagate");
  info["gitCommit"] = value::string("0000000000000000000000000000000000000000");
  info["gitTreeState"] = value::string("clean");
  info["buildDate"] = value::string("2026-01-01T00:00:00Z");
  info["goVersion"] = value::string("go1.25.0");
  info["compiler"] = value::string("gc");
  info["platform"] = value::string("linux/amd64");
  return info;
}

ApiResult<value> parse_body(const ApiRequest& request) {
  if (request.content_type == "application/vnd.kubernetes.protobuf") {
    return decode_protobuf(request.body);
  }
  try {
    return value::parse(request.body);
  } catch (const web::json::json_exception& error) {
    return bad_request(std::string("couldn't get version/kind; json parse error: ") +
                       error.what());
  }
}

ApiResult<PatchType> patch_type_of(const std::string& content_type) {
  if (content_type == "application/merge-patch+json") return PatchType::kMerge;
  if (content_type == "application/strategic-merge-patch+json") return PatchType::kStrategicMerge;
  if (content_type == "application/json-patch+json") return PatchType::kJson;
  return unsupported_media_type(content_type,
                                "application/json-patch+json, application/merge-patch+json, "
                                "application/strategic-merge-patch+json");
}

ListOptions list_options(const ApiRequest& request) {
  ListOptions options;
  options.label_selector = query_value(request, "labelSelector");
  options.field_selector = query_value(request, "fieldSelector");
  options.continue_token = query_value(request, "continue");
  std::string limit = query_value(request, "limit");
  if (!limit.empty() && limit.find_first_not_of("0123456789") == std::string::npos &&
      limit.size() < 10) {
    options.limit = std::stoul(limit);
  }
  return options;
}

ApiResult<DeleteOptions> delete_options(const ApiRequest& request) {
  DeleteOptions options;
  options.propagation_policy = query_value(request, "propagationPolicy");
  if (request.body.empty()) return options;
  ApiResult<value> body = parse_body(request);
  if (!body.ok()) return body.error();
  const value& json = body.value();
  if (json.has_field("propagationPolicy") && json.at("propagationPolicy").is_string()) {
    options.propagation_policy = json.at("propagationPolicy").as_string();
  }
  if (json.has_field("orphanDependents") && json.at("orphanDependents").is_boolean() &&
      json.at("orphanDependents").as_bool()) {
    options.propagation_policy = "Orphan";
  }
  if (json.has_field("preconditions") && json.at("preconditions").is_object()) {
    const value& preconditions = json.at("preconditions");
    if (preconditions.has_field("uid") && preconditions.at("uid").is_string()) {
      options.precondition_uid = preconditions.at("uid").as_string();
    }
    if (preconditions.has_field("resourceVersion") &&
        preconditions.at("resourceVersion").is_string()) {
      options.precondition_resource_version = preconditions.at("resourceVersion").as_string();
    }
  }
  return options;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(const std::string& text) {
  std::string decoded;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      decoded += ' ';  // Go's url.Values encodes spaces as '+'
    } else if (text[i] == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 &&
               hex_digit(text[i + 2]) >= 0) {
      decoded += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      i += 2;
    } else {
      decoded += text[i];
    }
  }
  return decoded;
}

}  // namespace

std::map<std::string, std::string> parse_query(const std::string& query) {
  std::map<std::string, std::string> result;
  std::stringstream stream(query);
  std::string pair;
  while (std::getline(stream, pair, '&')) {
    if (pair.empty()) continue;
    size_t equals = pair.find('=');
    std::string key = percent_decode(pair.substr(0, equals));
    result[key] = equals == std::string::npos ? "" : percent_decode(pair.substr(equals + 1));
  }
  return result;
}

ApiReply error_reply(const ApiError& error) {
  ApiReply reply = ok_reply(error.to_status(), error.code);
  reply.retry_after_seconds = error.retry_after_seconds;
  return reply;
}

ApiHandler::ApiHandler(ObjectStore& store, std::string server_address)
    : store_(store), server_address_(std::move(server_address)) {}

ApiReply ApiHandler::handle(const ApiRequest& request) {
  std::vector<std::string> segments = split_path(request.path);
  if (request.method != "GET" && (segments.size() < 3 || request.path == "/version")) {
    return error_reply(method_not_allowed("the server does not allow this method on the "
                                          "requested resource"));
  }
  if (request.path == "/version") return ok_reply(version_info());
  if (segments.size() == 1 && segments[0] == "api") {
    return ok_reply(store_.api_versions(server_address_));
  }
  if (segments.size() == 1 && segments[0] == "apis") return ok_reply(store_.api_group_list());
  if (segments.size() == 2 && segments[0] == "apis") {
    std::optional<value> group = store_.api_group(segments[1]);
    return group ? ok_reply(*group) : error_reply(resource_not_found());
  }
  if (segments.size() >= 2 && segments[0] == "api") {
    return handle_resource(request, "", segments[1],
                           std::vector<std::string>(segments.begin() + 2, segments.end()));
  }
  if (segments.size() >= 3 && segments[0] == "apis") {
    return handle_resource(request, segments[1], segments[2],
                           std::vector<std::string>(segments.begin() + 3, segments.end()));
  }
  if (segments.size() >= 2 && segments[0] == "openapi" && segments[1] == "v3") {
    std::vector<ResourceType> types = store_.served_types();
    if (segments.size() == 2) return ok_reply(openapi_v3_root(types));
    std::string path = segments[2];
    for (size_t i = 3; i < segments.size(); ++i) path += "/" + segments[i];
    std::optional<value> document = openapi_v3_document(types, path);
    return document ? ok_reply(*document) : error_reply(resource_not_found());
  }
  // Includes /openapi/v2, which kubectl only reads when v3 is missing.
  return error_reply(resource_not_found());
}

ApiReply ApiHandler::handle_resource(const ApiRequest& request, const std::string& group,
                                     const std::string& version, std::vector<std::string> rest) {
  if (rest.empty()) {
    std::optional<value> resources = store_.resource_list(group, version);
    return resources ? ok_reply(*resources) : error_reply(resource_not_found());
  }
  std::string ns;
  bool namespace_subresource = group.empty() && rest.size() == 3 &&
                               (rest[2] == "status" || rest[2] == "finalize");
  if (rest[0] == "namespaces" && rest.size() >= 3 && !namespace_subresource) {
    ns = rest[1];
    rest.erase(rest.begin(), rest.begin() + 2);
  }
  if (rest.size() > 3) return error_reply(resource_not_found());
  std::optional<ResourceType> found = store_.resolve(group, version, rest[0]);
  if (!found || (!found->namespaced && !ns.empty())) return error_reply(resource_not_found());
  const ResourceType& type = *found;
  const std::string name = rest.size() > 1 ? rest[1] : "";
  Subresource subresource = Subresource::kMain;
  if (rest.size() == 3) {
    if (rest[2] != "status" || !type.status_subresource) {
      return error_reply(resource_not_found());
    }
    subresource = Subresource::kStatus;
  }
  if (type.namespaced && ns.empty() && !name.empty()) return error_reply(resource_not_found());

  const std::string& method = request.method;
  if (name.empty()) {
    if (method == "GET" && query_flag(request, "watch")) {
      WatchOptions options;
      options.label_selector = query_value(request, "labelSelector");
      options.field_selector = query_value(request, "fieldSelector");
      options.resource_version = query_value(request, "resourceVersion");
      options.bookmarks = query_flag(request, "allowWatchBookmarks");
      std::string timeout = query_value(request, "timeoutSeconds");
      if (!timeout.empty() && timeout.find_first_not_of("0123456789") == std::string::npos &&
          timeout.size() < 9) {
        options.timeout = std::chrono::seconds(std::stol(timeout));
      }
      ApiResult<std::shared_ptr<WatchStream>> stream = store_.watch(type, ns, options);
      if (!stream.ok()) return error_reply(stream.error());
      ApiReply reply;
      reply.stream = stream.value();
      return reply;
    }
    if (method == "GET") return reply_of(store_.list(type, ns, list_options(request)));
    if (method == "POST") {
      if (type.namespaced && ns.empty()) {
        return error_reply(method_not_allowed("the server does not allow this method on the "
                                              "requested resource"));
      }
      ApiResult<value> body = parse_body(request);
      if (!body.ok()) return error_reply(body.error());
      return reply_of(store_.create(type, ns, body.value()), 201);
    }
    if (method == "DELETE") {
      ApiResult<DeleteOptions> options = delete_options(request);
      if (!options.ok()) return error_reply(options.error());
      return reply_of(store_.remove_collection(type, ns, list_options(request), options.value()));
    }
  } else {
    if (method == "GET") return reply_of(store_.get(type, ns, name));
    if (method == "PUT") {
      ApiResult<value> body = parse_body(request);
      if (!body.ok()) return error_reply(body.error());
      return reply_of(store_.update(type, ns, name, body.value(), subresource));
    }
    if (method == "PATCH") {
      ApiResult<PatchType> patch_type = patch_type_of(request.content_type);
      if (!patch_type.ok()) return error_reply(patch_type.error());
      ApiResult<value> body = parse_body(request);
      if (!body.ok()) return error_reply(body.error());
      return reply_of(
          store_.patch(type, ns, name, patch_type.value(), body.value(), subresource));
    }
    if (method == "DELETE" && subresource == Subresource::kMain) {
      ApiResult<DeleteOptions> options = delete_options(request);
      if (!options.ok()) return error_reply(options.error());
      return reply_of(store_.remove(type, ns, name, options.value()));
    }
  }
  return error_reply(
      method_not_allowed("the server does not allow this method on the requested resource"));
}

}  // namespace schemagate::testing::kube
