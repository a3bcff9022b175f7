// Ranks without MPI (sweep_ranks.hpp): this process is the only rank.
#include "app/sweep_ranks.hpp"

namespace cl::app {

Ranks::Ranks() = default;
Ranks::~Ranks() = default;
bool Ranks::all(bool ok) const { return ok; }
std::uint64_t Ranks::sum(std::uint64_t n) const { return n; }
bool have_mpi() { return false; }

}  // namespace cl::app
