#pragma once

#include <atomic>
#include <cstdint>

#include <cpprest/json.h>
#include <cpprest/producerconsumerstream.h>
#include <cpprest/streams.h>

namespace schemagate::testing::kube {

/// The body of one watch response: newline-separated JSON events written into
/// a buffer that the HTTP listener sends as a chunked body as they arrive.
/// Writes never block, so the store can send while holding its lock.
class WatchStream {
 public:
  WatchStream() = default;
  WatchStream(const WatchStream&) = delete;
  WatchStream& operator=(const WatchStream&) = delete;

  concurrency::streams::istream body() const { return buffer_.create_istream(); }
  /// Sends `{"type": type, "object": object}` and flushes it to the client.
  void send(const std::string& type, const web::json::value& object);
  /// Ends the chunked body; the client sees the watch close.
  void close();
  bool closed() const { return closed_; }

 private:
  concurrency::streams::producer_consumer_buffer<uint8_t> buffer_;
  std::atomic<bool> closed_{false};
};

}  // namespace schemagate::testing::kube
