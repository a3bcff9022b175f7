#include "app/termination.hpp"

#include <cerrno>
#include <csignal>

#include "analysis/results/results_file.hpp"

namespace cl::app {
namespace {

// The handler was reset by SA_RESETHAND; the re-raised signal is delivered when the
// handler returns. Async-signal-safe.
extern "C" void on_termination_signal(int sig) {
    const int saved_errno = errno;
    analysis::remove_unfinished_results_files();
    ::raise(sig);
    errno = saved_errno;
}

}  // namespace

void install_termination_handlers() {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
        struct sigaction old {};
        if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler == SIG_IGN) continue;  // e.g. nohup
        struct sigaction sa {};
        sa.sa_handler = on_termination_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESETHAND;
        ::sigaction(sig, &sa, nullptr);
    }
}

}  // namespace cl::app
