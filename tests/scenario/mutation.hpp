// Mutated scenario texts for the loader's robustness tests (STYLE.md §12): a fixed linear
// congruential generator (the same mutations on every platform) applies 1–4 edits to a
// text — replace a byte, erase up to 8, insert a byte, or the kind-specific last edit.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cl::sim::scenario::fuzz {

struct Mutations {
    std::uint64_t seed = 0;
    std::string_view alphabet;  // bytes replaced or inserted are drawn from it ...
    bool raw_bytes = false;     // ... or, one time in 8, any byte at all
    // The fourth kind of edit: cut the text there (false), or insert a quoted line of up to
    // 200 characters followed by a blank line, so that errors quote multi-line values (true).
    bool long_lines = false;
};

class Mutator {
  public:
    explicit Mutator(Mutations m) : m_(m), state_(m.seed) {}

    // `text` with 1–4 random edits.
    std::string operator()(std::string text) {
        const std::uint64_t edits = 1 + next() % 4;
        for (std::uint64_t e = 0; e < edits && !text.empty(); ++e) {
            const std::size_t at = next() % text.size();
            switch (next() % 4) {
                case 0:
                    text[at] = byte();
                    break;
                case 1:
                    text.erase(at, 1 + next() % 8);
                    break;
                case 2:
                    text.insert(at, 1, byte());
                    break;
                default:
                    if (m_.long_lines) {
                        text.insert(at, "\"" + std::string(1 + next() % 200, 'q') + "\n  \n");
                    } else {
                        text.resize(at);
                    }
                    break;
            }
        }
        return text;
    }

  private:
    std::uint64_t next() {
        state_ = state_ * 6364136223846793005u + 1442695040888963407u;
        return state_ >> 33;
    }
    char byte() {
        if (m_.raw_bytes && next() % 8 == 0) return static_cast<char>(next() % 256);
        return m_.alphabet[next() % m_.alphabet.size()];
    }

    Mutations m_;
    std::uint64_t state_;
};

}  // namespace cl::sim::scenario::fuzz
