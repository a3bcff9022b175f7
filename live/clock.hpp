// The live node's clock (docs/live.md): time since the Unix epoch, as protocol::Node
// wants it (header timestamps are Unix seconds), advancing with the steady clock so that
// it never jumps back when the wall clock is adjusted. The epoch offset is read once.
#pragma once

#include <chrono>

namespace cl::live {

class LiveClock {
  public:
    LiveClock()
        : offset_(std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::system_clock::now().time_since_epoch()) -
                  std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::steady_clock::now().time_since_epoch())) {}
    std::chrono::nanoseconds now() const {
        return offset_ + std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::steady_clock::now().time_since_epoch());
    }
    // The steady-clock instant of node time `t`.
    std::chrono::steady_clock::time_point steady_at(std::chrono::nanoseconds t) const {
        return std::chrono::steady_clock::time_point(
            std::chrono::duration_cast<std::chrono::steady_clock::duration>(t - offset_));
    }

  private:
    std::chrono::nanoseconds offset_;
};

}  // namespace cl::live
