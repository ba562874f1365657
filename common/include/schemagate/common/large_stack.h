#pragma once

#include <cstddef>
#include <functional>

namespace schemagate {

/// Runs `work` where `stack_bytes` of stack are free, and waits for it: on
/// the calling thread when that much of its stack is left (most calls: a
/// thread each would cost more than the work), else on a thread of its own
/// whose stack holds that much. For recursive code in libraries we cannot
/// bound otherwise (libpg_query prints a parse tree with one C frame per
/// nesting level, so a 100,000-term expression needs about 30 MB, four
/// times a main thread's stack). A thread's memory is only reserved: pages
/// are touched as the stack grows. False, without running `work`, when no
/// such thread can be made (the address space or the thread limit is
/// exhausted).
bool run_with_stack(size_t stack_bytes, const std::function<void()>& work);

}  // namespace schemagate
