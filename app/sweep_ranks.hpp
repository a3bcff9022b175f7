// The processes a sweep runs in: this one alone, or the ranks of an MPI job
// (docs/experiments.md "Many machines: MPI"). MPI is an optional component: without it
// (CLOUDLEDGER_MPI off or not found) every program is a single rank. MPI's headers stay
// in sweep_ranks_mpi.cpp; nothing else includes them.
//
// A program started by mpirun/srun (recognised by the launcher's environment:
// OMPI_COMM_WORLD_SIZE, PMIX_RANK, PMI_RANK) initialises MPI (MPI_THREAD_FUNNELED: only
// the thread that made the Ranks calls MPI); one started otherwise does not, so a plain
// `cloudledger sweep` never needs a launcher.
//
// Thread-safety: call from the thread that created it only.
#pragma once

#include <cstdint>

namespace cl::app {

class Ranks {
  public:
    // Starts MPI when launched under MPI and this build has it.
    Ranks();
    ~Ranks();  // MPI_Finalize when started
    Ranks(const Ranks&) = delete;
    Ranks& operator=(const Ranks&) = delete;

    int rank() const { return rank_; }
    int size() const { return size_; }
    // The ranks on this machine (for the default worker count); 1 without MPI.
    int local_size() const { return local_size_; }
    bool is_mpi() const { return mpi_; }

    // True when `ok` on every rank (a collective: every rank must call it).
    bool all(bool ok) const;
    // The sum of `n` over the ranks (a collective).
    std::uint64_t sum(std::uint64_t n) const;

  private:
    int rank_ = 0;
    int size_ = 1;
    int local_size_ = 1;
    bool mpi_ = false;
};

// True when this build has MPI.
bool have_mpi();

}  // namespace cl::app
