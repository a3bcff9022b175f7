// Invariant checks that stay on in release builds (STYLE.md §6: a bug is an abort).
// Use CL_ASSERT for conditions that only a programming error can violate; bad input
// must be reported as a value (std::expected), never through this macro.
#pragma once

#include <cstdio>
#include <cstdlib>

#define CL_ASSERT(cond)                                                                       \
    do {                                                                                      \
        if (!(cond)) [[unlikely]] {                                                           \
            std::fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, #cond); \
            std::abort();                                                                     \
        }                                                                                     \
    } while (false)
