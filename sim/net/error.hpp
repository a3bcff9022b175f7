// Errors from reading network input (topology files, region data): bad input is a value
// (STYLE.md §6). Each names the file and, where it can be found, the 1-based line, so
// that the CLI can print `file:line: message` and exit with code 2 (DESIGN.md §8).
#pragma once

#include <cstddef>
#include <string>

namespace cl::sim::net {

enum class [[nodiscard]] InputErrorKind{
    kCannotOpen,    // the file could not be read
    kSyntax,        // not well-formed GraphML / DOT / YAML
    kBadValue,      // a well-formed file with a value that is wrong (type, range, unknown name)
    kMissingField,  // a required key or attribute is absent
};

struct InputError {
    InputErrorKind kind = InputErrorKind::kSyntax;
    std::string file;
    std::size_t line = 0;  // 1-based; 0 when unknown
    std::string message;

    // "file:line: message" (or "file: message" without a line).
    std::string to_string() const {
        std::string s = file;
        if (line != 0) s += ":" + std::to_string(line);
        return s + ": " + message;
    }
};

}  // namespace cl::sim::net
