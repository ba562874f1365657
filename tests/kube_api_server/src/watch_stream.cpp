#include "watch_stream.h"

namespace schemagate::testing::kube {

void WatchStream::send(const std::string& type, const web::json::value& object) {
  if (closed_) return;
  web::json::value event = web::json::value::object();
  event["type"] = web::json::value::string(type);
  event["object"] = object;
  std::string line = event.serialize() + "\n";
  buffer_.putn_nocopy(reinterpret_cast<const uint8_t*>(line.data()), line.size()).wait();
  // Without a sync the reader waits for a full chunk before sending anything.
  buffer_.sync().wait();
}

void WatchStream::close() {
  if (closed_.exchange(true)) return;
  buffer_.close(std::ios_base::out).wait();
}

}  // namespace schemagate::testing::kube
