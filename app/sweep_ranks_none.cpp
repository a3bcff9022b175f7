// Ranks without MPI (sweep_ranks.hpp): this process is the only rank.
#include "app/sweep_ranks.hpp"

namespace cl::app {

Ranks::Ranks() = default;
Ranks::~Ranks() = default;
bool Ranks::all(bool ok) const { return ok; }
bool have_mpi() { return false; }

}  // namespace cl::app
