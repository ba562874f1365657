#include "protobuf_decoder.h"

#include <cstdint>
#include <map>
#include <vector>

#include <cpprest/asyncrt_utils.h>

namespace schemagate::testing::kube {
namespace {

using web::json::value;

enum class FieldKind {
  kString,
  kInt,
  kBool,
  kMessage,
  kStringMap,
  kBytesMap,
  kRepeatedString,
  kRepeatedMessage,
};

struct Message;
struct Field {
  const char* name;
  FieldKind kind;
  const Message* message = nullptr;
};
struct Message {
  std::map<uint64_t, Field> fields;  ///< by field number; unknown numbers are skipped
};

// Field numbers from k8s.io/api and k8s.io/apimachinery generated.proto.
const Message kOwnerReference{{{1, {"kind", FieldKind::kString}},
                               {3, {"name", FieldKind::kString}},
                               {4, {"uid", FieldKind::kString}},
                               {5, {"apiVersion", FieldKind::kString}},
                               {6, {"controller", FieldKind::kBool}},
                               {7, {"blockOwnerDeletion", FieldKind::kBool}}}};
const Message kObjectMeta{{{1, {"name", FieldKind::kString}},
                           {2, {"generateName", FieldKind::kString}},
                           {3, {"namespace", FieldKind::kString}},
                           {5, {"uid", FieldKind::kString}},
                           {6, {"resourceVersion", FieldKind::kString}},
                           {7, {"generation", FieldKind::kInt}},
                           {11, {"labels", FieldKind::kStringMap}},
                           {12, {"annotations", FieldKind::kStringMap}},
                           {13, {"ownerReferences", FieldKind::kRepeatedMessage, &kOwnerReference}},
                           {14, {"finalizers", FieldKind::kRepeatedString}}}};
const Message kNamespaceSpec{{{1, {"finalizers", FieldKind::kRepeatedString}}}};
const Message kNamespace{{{1, {"metadata", FieldKind::kMessage, &kObjectMeta}},
                          {2, {"spec", FieldKind::kMessage, &kNamespaceSpec}}}};
const Message kConfigMap{{{1, {"metadata", FieldKind::kMessage, &kObjectMeta}},
                          {2, {"data", FieldKind::kStringMap}},
                          {3, {"binaryData", FieldKind::kBytesMap}},
                          {4, {"immutable", FieldKind::kBool}}}};
const Message kSecret{{{1, {"metadata", FieldKind::kMessage, &kObjectMeta}},
                       {2, {"data", FieldKind::kBytesMap}},
                       {3, {"type", FieldKind::kString}},
                       {4, {"stringData", FieldKind::kStringMap}},
                       {5, {"immutable", FieldKind::kBool}}}};
const Message kServiceAccount{{{1, {"metadata", FieldKind::kMessage, &kObjectMeta}},
                               {4, {"automountServiceAccountToken", FieldKind::kBool}}}};

const std::map<std::string, const Message*> kKinds = {
    {"v1/Namespace", &kNamespace},
    {"v1/ConfigMap", &kConfigMap},
    {"v1/Secret", &kSecret},
    {"v1/ServiceAccount", &kServiceAccount},
};

/// Protobuf wire format reader over one message's bytes.
class Reader {
 public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}

  bool done() const { return position_ >= bytes_.size(); }
  bool varint(uint64_t& out) {
    out = 0;
    for (int shift = 0; shift < 64 && position_ < bytes_.size(); shift += 7) {
      auto byte = static_cast<uint8_t>(bytes_[position_++]);
      out |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }
  bool length_delimited(std::string& out) {
    uint64_t length;
    if (!varint(length) || length > bytes_.size() - position_) return false;
    out = bytes_.substr(position_, length);
    position_ += length;
    return true;
  }
  bool skip(uint64_t wire_type) {
    uint64_t ignored;
    std::string ignored_bytes;
    switch (wire_type) {
      case 0: return varint(ignored);
      case 1: position_ += 8; return position_ <= bytes_.size();
      case 2: return length_delimited(ignored_bytes);
      case 5: position_ += 4; return position_ <= bytes_.size();
      default: return false;
    }
  }

 private:
  const std::string& bytes_;
  size_t position_ = 0;
};

std::string base64(const std::string& bytes) {
  return utility::conversions::to_base64(std::vector<unsigned char>(bytes.begin(), bytes.end()));
}

bool decode_message(const std::string& bytes, const Message& message, value& out);

bool decode_map_entry(const std::string& bytes, bool binary, value& map) {
  Reader reader(bytes);
  std::string key;
  std::string item;
  while (!reader.done()) {
    uint64_t tag;
    if (!reader.varint(tag)) return false;
    if ((tag & 7) != 2) {
      if (!reader.skip(tag & 7)) return false;
      continue;
    }
    std::string& target = (tag >> 3) == 1 ? key : item;
    if (!reader.length_delimited(target)) return false;
  }
  map[key] = value::string(binary ? base64(item) : item);
  return true;
}

bool decode_field(Reader& reader, uint64_t wire_type, const Field& field, value& out) {
  // Go's protobuf encoding writes empty strings and zero numbers that its
  // JSON encoding omits; they are left out here as well.
  if (wire_type == 0) {
    uint64_t number;
    if (!reader.varint(number)) return false;
    if (field.kind == FieldKind::kBool) {
      out[field.name] = value::boolean(number != 0);
    } else if (number != 0) {
      out[field.name] = value::number(static_cast<int64_t>(number));
    }
    return true;
  }
  std::string bytes;
  if (wire_type != 2 || !reader.length_delimited(bytes)) return false;
  switch (field.kind) {
    case FieldKind::kString:
      if (!bytes.empty()) out[field.name] = value::string(bytes);
      return true;
    case FieldKind::kMessage: {
      value child = value::object();
      if (!decode_message(bytes, *field.message, child)) return false;
      out[field.name] = child;
      return true;
    }
    case FieldKind::kStringMap:
    case FieldKind::kBytesMap: {
      if (!out.has_field(field.name)) out[field.name] = value::object();
      return decode_map_entry(bytes, field.kind == FieldKind::kBytesMap, out[field.name]);
    }
    case FieldKind::kRepeatedString: {
      if (!out.has_field(field.name)) out[field.name] = value::array();
      value& list = out[field.name];
      list[list.size()] = value::string(bytes);
      return true;
    }
    case FieldKind::kRepeatedMessage: {
      value child = value::object();
      if (!decode_message(bytes, *field.message, child)) return false;
      if (!out.has_field(field.name)) out[field.name] = value::array();
      value& list = out[field.name];
      list[list.size()] = child;
      return true;
    }
    default:
      return false;
  }
}

bool decode_message(const std::string& bytes, const Message& message, value& out) {
  Reader reader(bytes);
  while (!reader.done()) {
    uint64_t tag;
    if (!reader.varint(tag)) return false;
    auto field = message.fields.find(tag >> 3);
    bool ok = field == message.fields.end() ? reader.skip(tag & 7)
                                            : decode_field(reader, tag & 7, field->second, out);
    if (!ok) return false;
  }
  return true;
}

const Message kTypeMeta{{{1, {"apiVersion", FieldKind::kString}}, {2, {"kind", FieldKind::kString}}}};

}  // namespace

ApiResult<value> decode_protobuf(const std::string& body) {
  static const std::string kMagic("k8s\0", 4);
  ApiError unreadable = bad_request("the protobuf body could not be decoded");
  if (body.compare(0, kMagic.size(), kMagic) != 0) return unreadable;
  // runtime.Unknown: typeMeta = 1, raw = 2 (the object's own encoding).
  const std::string envelope = body.substr(kMagic.size());
  Reader reader(envelope);
  value type_meta = value::object();
  std::string raw;
  while (!reader.done()) {
    uint64_t tag;
    std::string bytes;
    if (!reader.varint(tag)) return unreadable;
    if ((tag & 7) != 2) {
      if (!reader.skip(tag & 7)) return unreadable;
      continue;
    }
    if (!reader.length_delimited(bytes)) return unreadable;
    if ((tag >> 3) == 1 && !decode_message(bytes, kTypeMeta, type_meta)) return unreadable;
    if ((tag >> 3) == 2) raw = bytes;
  }
  std::string api_version =
      type_meta.has_field("apiVersion") ? type_meta.at("apiVersion").as_string() : "";
  std::string kind = type_meta.has_field("kind") ? type_meta.at("kind").as_string() : "";
  auto message = kKinds.find(api_version + "/" + kind);
  if (message == kKinds.end()) {
    return unsupported_media_type("application/vnd.kubernetes.protobuf",
                                  "application/json, application/vnd.kubernetes.protobuf");
  }
  value object = value::object();
  if (!decode_message(raw, *message->second, object)) return unreadable;
  object["apiVersion"] = value::string(api_version);
  object["kind"] = value::string(kind);
  return object;
}

}  // namespace schemagate::testing::kube
