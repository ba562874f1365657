#include "schemagate/common/large_stack.h"

#include <pthread.h>

#include <cstdint>

namespace schemagate {
namespace {

void* run(void* work) {
  (*static_cast<const std::function<void()>*>(work))();
  return nullptr;
}

/// Left over for whatever the caller of run_with_stack still calls.
constexpr size_t kMarginBytes = size_t{256} << 10;

/// The lowest address of the calling thread's stack; 0 when unknown.
uintptr_t stack_floor() {
  pthread_attr_t attributes;
  if (pthread_getattr_np(pthread_self(), &attributes) != 0) return 0;
  void* low = nullptr;
  size_t size = 0;
  uintptr_t floor = 0;
  if (pthread_attr_getstack(&attributes, &low, &size) == 0) {
    floor = reinterpret_cast<uintptr_t>(low);
  }
  pthread_attr_destroy(&attributes);
  return floor;
}

/// Bytes of stack left below this frame on the calling thread; 0 when
/// unknown. (The main thread's floor comes from /proc/self/maps: once a thread.)
size_t stack_left() {
  thread_local const uintptr_t floor = stack_floor();
  char here = 0;
  auto at = reinterpret_cast<uintptr_t>(&here);
  return floor != 0 && at > floor ? at - floor : 0;
}

}  // namespace

bool run_with_stack(size_t stack_bytes, const std::function<void()>& work) {
  if (stack_left() >= stack_bytes + kMarginBytes) {
    work();
    return true;
  }
  pthread_attr_t attributes;
  if (pthread_attr_init(&attributes) != 0) return false;
  pthread_t thread;
  bool started = pthread_attr_setstacksize(&attributes, stack_bytes) == 0 &&
                 pthread_create(&thread, &attributes, run,
                                const_cast<std::function<void()>*>(&work)) == 0;
  pthread_attr_destroy(&attributes);
  if (started) pthread_join(thread, nullptr);
  return started;
}

}  // namespace schemagate
