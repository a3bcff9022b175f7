// Replaces the global operator new/delete with versions that count allocations, for
// tests of "no heap allocation per event/message" (DESIGN.md §5).
// Include from exactly ONE translation unit of a test executable (it defines the
// replacement functions), then compare cl::test::allocation_count() around the loop.
#pragma once

#include <atomic>
#include <cstdlib>
#include <new>

namespace cl::test {
inline std::atomic<std::size_t> g_allocations{0};
inline std::size_t allocation_count() { return g_allocations.load(); }
}  // namespace cl::test

void* operator new(std::size_t n) {
    cl::test::g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t align) {
    cl::test::g_allocations.fetch_add(1, std::memory_order_relaxed);
    const auto a = static_cast<std::size_t>(align);
    if (void* p = std::aligned_alloc(a, (n + a - 1) / a * a)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
