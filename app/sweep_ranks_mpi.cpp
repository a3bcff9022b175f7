// Ranks with MPI (sweep_ranks.hpp): Open MPI (Debian's libopenmpi-dev), MPI-3 C API.
#include <mpi.h>

#include <cstdlib>

#include "app/sweep_ranks.hpp"

namespace cl::app {
namespace {

bool launched_by_mpi() {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
        if (std::getenv(name) != nullptr) return true;
    }
    return false;
}

}  // namespace

Ranks::Ranks() {
    if (!launched_by_mpi()) return;
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    mpi_ = true;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    MPI_Comm local = MPI_COMM_NULL;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &local);
    if (local != MPI_COMM_NULL) {
        MPI_Comm_size(local, &local_size_);
        MPI_Comm_free(&local);
    }
}

Ranks::~Ranks() {
    if (mpi_) MPI_Finalize();
}

bool Ranks::all(bool ok) const {
    if (!mpi_) return ok;
    int mine = ok ? 1 : 0;
    int every = 0;
    MPI_Allreduce(&mine, &every, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
    return every != 0;
}

std::uint64_t Ranks::sum(std::uint64_t n) const {
    if (!mpi_) return n;
    std::uint64_t total = 0;
    MPI_Allreduce(&n, &total, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
    return total;
}

bool have_mpi() { return true; }

}  // namespace cl::app
