#include "protocol/checkpoint/schedule.hpp"

#include "protocol/core/assert.hpp"

namespace cl::checkpoint {

bool is_checkpoint_height(const Config& config, std::uint64_t height) {
    CL_ASSERT(config.interval > 0);
    return height > 0 && height % config.interval == 0;
}

std::optional<std::uint64_t> votable_height(const Config& config, std::uint64_t validators,
                                            std::uint64_t head_number) {
    CL_ASSERT(config.interval > 0 && validators > 0);
    const std::uint64_t depth = config.depth_for(validators);
    if (head_number < depth) return std::nullopt;
    const std::uint64_t h = (head_number - depth) / config.interval * config.interval;
    if (h == 0) return std::nullopt;
    return h;
}

std::uint64_t submitter_index(const Config& config, std::uint64_t height, std::uint64_t validators,
                              std::uint64_t attempt) {
    CL_ASSERT(config.interval > 0 && validators > 0);
    return ((height / config.interval) % validators + attempt % validators) % validators;
}

std::uint64_t attempt_at(const Config& config, Nanos due, Nanos now) {
    CL_ASSERT(config.submit_timeout > Nanos(0));
    if (now <= due) return 0;
    return static_cast<std::uint64_t>((now - due) / config.submit_timeout);
}

Nanos next_turn(const Config& config, std::uint64_t height, std::uint64_t validators,
                std::uint64_t self_index, Nanos due, Nanos now) {
    CL_ASSERT(validators > 0 && self_index < validators && config.submit_timeout > Nanos(0));
    const std::uint64_t first = submitter_index(config, height, validators);
    const std::uint64_t rank = (self_index + validators - first) % validators;
    const Nanos cycle = config.submit_timeout * static_cast<std::int64_t>(validators);
    Nanos turn = due + config.submit_timeout * static_cast<std::int64_t>(rank);
    if (turn < now) turn += (now - turn + cycle - Nanos(1)) / cycle * cycle;
    return turn;
}

}  // namespace cl::checkpoint
