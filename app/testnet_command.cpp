// `cloudledger testnet`: N validators and M full nodes as child processes on 127.0.0.1
// (docs/live.md "cloudledger testnet").
//
// Process handling: the parent binds every listening socket itself (so ports are known
// before any child starts, ephemeral ones included) and hands each child its two sockets
// as fds 3 and 4. Children run in their own process group (so a terminal's Ctrl-C reaches
// the parent only, which stops them in order) and get PR_SET_PDEATHSIG = SIGTERM (so
// they stop if the parent dies without cleaning up). On --duration, SIGINT or SIGTERM the
// parent sends SIGTERM to the group, waits up to kStopGrace, SIGKILLs what is left and
// reaps every child: no orphans. Signals are taken synchronously (sigtimedwait), never in
// a handler.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <set>
#include <vector>

#include "app/command_line.hpp"
#include "app/live_chain.hpp"
#include "app/live_commands.hpp"

namespace cl::app {

namespace {

constexpr std::string_view kUsage =
    "usage: cloudledger testnet --validators N [--full-nodes M] [--period 1s] [--base-port P]\n"
    "                           [--duration 30s] [--seed S] [--scenario FILE.yaml] [--verbose]";
constexpr std::string_view kHelp =
    "\n"
    "Starts N validator and M full-node processes (`cloudledger node`) on 127.0.0.1: the\n"
    "validators fully meshed, each full node linked to two validators and the previous full\n"
    "node. Prints `rpc http://127.0.0.1:PORT` per node as each comes up, and stops them all at\n"
    "--duration or on Ctrl-C/SIGTERM.\n"
    "\n"
    "options:\n"
    "  --validators N   validators (1 to 64); the first N clouds of the scenario\n"
    "  --full-nodes M   full nodes (default 0, at most 64)\n"
    "  --period D       Clique period, whole seconds (default 1s)\n"
    "  --base-port P    node i listens for peers on P+2i and for JSON-RPC on P+2i+1\n"
    "                   (default 0: ephemeral ports)\n"
    "  --duration D     stop after D (default: run until Ctrl-C/SIGTERM)\n"
    "  --seed S         key derivation seed (default: the scenario's)\n"
    "  --scenario FILE  the scenario whose clouds and settings to use (default: embedded)\n"
    "  --verbose        nodes log blocks on stderr\n"
    "\n"
    "Exit codes: 0 stopped cleanly, 1 a node failed, 2 bad usage or input.\n";

constexpr auto kStopGrace = std::chrono::seconds(5);

// A listening IPv4 socket on 127.0.0.1:port (close-on-exec); -1 with errno on failure.
int listen_loopback(std::uint16_t port, std::uint16_t& bound) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 128) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        const int e = errno;
        ::close(fd);
        errno = e;
        return -1;
    }
    bound = ntohs(addr.sin_port);
    return fd;
}

struct Child {
    pid_t pid = -1;
    bool exited = false;
    int status = 0;
};

// Reaps exited children without blocking; returns how many are still running.
std::size_t reap(std::vector<Child>& children, bool stopping, std::ostream& err, bool& failed) {
    std::size_t running = 0;
    for (std::size_t i = 0; i < children.size(); ++i) {
        Child& c = children[i];
        if (c.exited || c.pid <= 0) continue;
        int status = 0;
        const pid_t r = ::waitpid(c.pid, &status, WNOHANG);
        if (r == c.pid) {
            c.exited = true;
            c.status = status;
            // Stopping, a node killed by our SIGTERM before it installed its handler is clean too.
            const bool clean = (WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
                               (stopping && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
            if (!stopping || !clean) {
                if (!(stopping && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
                    err << "testnet: node " << i << " exited "
                        << (WIFEXITED(status) ? "with status " + std::to_string(WEXITSTATUS(status))
                                              : "on signal " + std::to_string(WTERMSIG(status)))
                        << (stopping ? "" : " before the end") << "\n";
                }
                failed = true;
            }
        } else {
            ++running;
        }
    }
    return running;
}

}  // namespace

int run_testnet(std::span<const std::string> args, const std::string& self, std::ostream& out,
                std::ostream& err) {
    std::optional<std::uint64_t> validators;
    std::uint64_t full_nodes = 0, base_port = 0;
    std::uint64_t period = 1;
    std::optional<std::chrono::milliseconds> duration;
    std::optional<std::uint64_t> seed;
    std::string scenario;
    bool verbose = false;
    auto bad = [&](const std::string& m) { return usage_error(err, m, kUsage, "testnet"); };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (is_help(a)) {
            out << kUsage << "\n" << kHelp;
            return 0;
        }
        if (a == "--verbose") {
            verbose = true;
        } else if (auto v = take_value(args, i, {"--validators"})) {
            if (!*v) return bad(v->error());
            validators = parse_uint(**v);
            if (!validators || *validators == 0 || *validators > 64) return bad("--validators: 1 to 64");
        } else if (auto v2 = take_value(args, i, {"--full-nodes"})) {
            if (!*v2) return bad(v2->error());
            auto n = parse_uint(**v2);
            if (!n || *n > 64) return bad("--full-nodes: 0 to 64");
            full_nodes = *n;
        } else if (auto v3 = take_value(args, i, {"--period"})) {
            if (!*v3) return bad(v3->error());
            auto d = parse_duration(**v3);
            if (!d || d->count() % 1000 != 0 || d->count() < 1000)
                return bad("--period: whole seconds, at least 1s");
            period = static_cast<std::uint64_t>(d->count() / 1000);
        } else if (auto v4 = take_value(args, i, {"--base-port"})) {
            if (!*v4) return bad(v4->error());
            auto n = parse_uint(**v4);
            if (!n || (*n != 0 && (*n < 1024 || *n > 65535 - 2 * 128)))
                return bad("--base-port: 0, or 1024 to 65279");
            base_port = *n;
        } else if (auto v5 = take_value(args, i, {"--duration"})) {
            if (!*v5) return bad(v5->error());
            duration = parse_duration(**v5);
            if (!duration || duration->count() == 0) return bad("--duration: e.g. 30s, 5m");
        } else if (auto v6 = take_value(args, i, {"--seed"})) {
            if (!*v6) return bad(v6->error());
            seed = parse_uint(**v6);
            if (!seed) return bad("--seed: expected a whole number");
        } else if (auto v7 = take_value(args, i, {"--scenario"})) {
            if (!*v7) return bad(v7->error());
            scenario = **v7;
        } else {
            return bad("unknown argument '" + a + "'");
        }
    }
    if (!validators) return bad("--validators is required");
    const std::size_t n = static_cast<std::size_t>(*validators + full_nodes);

    // Check the chain once here, so that bad input is reported once, with exit code 2.
    LiveChainOptions chain_options{scenario, seed, static_cast<std::size_t>(*validators), period, 0};
    if (auto chain = make_live_chain(chain_options); !chain) {
        err << chain.error() << "\n";
        return 2;
    }

    // Topology: validators fully meshed; full node j to validators j mod N, j+1 mod N and
    // the previous full node.
    std::vector<std::set<std::size_t>> peers(n);
    auto link = [&](std::size_t a, std::size_t b) {
        if (a == b) return;
        peers[a].insert(b);
        peers[b].insert(a);
    };
    const auto nv = static_cast<std::size_t>(*validators);
    for (std::size_t a = 0; a < nv; ++a)
        for (std::size_t b = a + 1; b < nv; ++b) link(a, b);
    for (std::size_t j = 0; j < full_nodes; ++j) {
        link(nv + j, j % nv);
        link(nv + j, (j + 1) % nv);
        if (j > 0) link(nv + j, nv + j - 1);
    }

    std::vector<int> p2p_fd(n, -1), rpc_fd(n, -1);
    std::vector<std::uint16_t> p2p_port(n), rpc_port(n);
    auto close_all = [&] {
        for (std::size_t i = 0; i < n; ++i) {
            if (p2p_fd[i] >= 0) ::close(p2p_fd[i]);
            if (rpc_fd[i] >= 0) ::close(rpc_fd[i]);
            p2p_fd[i] = rpc_fd[i] = -1;
        }
    };
    for (std::size_t i = 0; i < n; ++i) {
        const auto p = static_cast<std::uint16_t>(base_port ? base_port + 2 * i : 0);
        const auto r = static_cast<std::uint16_t>(base_port ? base_port + 2 * i + 1 : 0);
        p2p_fd[i] = listen_loopback(p, p2p_port[i]);
        if (p2p_fd[i] >= 0) rpc_fd[i] = listen_loopback(r, rpc_port[i]);
        if (p2p_fd[i] < 0 || rpc_fd[i] < 0) {
            err << "testnet: cannot listen on 127.0.0.1:" << (p2p_fd[i] < 0 ? p : r) << ": "
                << std::strerror(errno) << "\n";
            close_all();
            return 1;
        }
    }

    // The genesis a little in the future, so that every node is up for block 1.
    const std::uint64_t genesis_time =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count()) +
        2;

    sigset_t stop_signals, old_mask;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGCHLD);
    sigprocmask(SIG_BLOCK, &stop_signals, &old_mask);

    out.flush();
    const pid_t parent = ::getpid();
    std::vector<Child> children(n);
    pid_t group = 0;
    bool failed = false;       // a node failed: exit code 1
    bool fork_failed = false;  // stop at once
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<std::string> argv = {self,
                                         "node",
                                         "--index",
                                         std::to_string(i),
                                         "--validators",
                                         std::to_string(*validators),
                                         "--period",
                                         std::to_string(period) + "s",
                                         "--genesis-time",
                                         std::to_string(genesis_time),
                                         "--p2p-fd",
                                         "3",
                                         "--rpc-fd",
                                         "4"};
        if (seed) argv.insert(argv.end(), {"--seed", std::to_string(*seed)});
        if (!scenario.empty()) argv.insert(argv.end(), {"--scenario", scenario});
        if (verbose) argv.push_back("--verbose");
        for (std::size_t p : peers[i]) {
            argv.push_back("--peer");
            argv.push_back(std::to_string(p) + "@127.0.0.1:" + std::to_string(p2p_port[p]));
        }
        std::vector<char*> cargv;
        for (auto& s : argv) cargv.push_back(s.data());
        cargv.push_back(nullptr);

        const pid_t pid = ::fork();
        if (pid < 0) {
            err << "testnet: fork: " << std::strerror(errno) << "\n";
            failed = fork_failed = true;
            break;
        }
        if (pid == 0) {
            // Child: only async-signal-safe calls from here to exec.
            ::setpgid(0, group);
            ::prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (::getppid() != parent) ::_exit(1);  // the parent died before prctl
            const int a = ::fcntl(p2p_fd[i], F_DUPFD, 100);
            const int b = ::fcntl(rpc_fd[i], F_DUPFD, 100);
            if (a < 0 || b < 0 || ::dup2(a, 3) < 0 || ::dup2(b, 4) < 0) ::_exit(1);
            ::close(a);
            ::close(b);
            ::sigprocmask(SIG_SETMASK, &old_mask, nullptr);
            ::execv(self.c_str(), cargv.data());
            ::_exit(127);
        }
        ::setpgid(pid, group);  // also here: whichever runs first
        if (group == 0) group = pid;
        children[i].pid = pid;
    }
    close_all();

    // Run until the duration ends, a stop signal comes, or every node has exited. A node
    // that dies is reported and the others go on (exit code 1 at the end).
    const auto deadline = duration ? std::chrono::steady_clock::now() + *duration
                                   : std::chrono::steady_clock::time_point::max();
    std::size_t running = 0;
    for (const Child& c : children) running += c.pid > 0 ? 1 : 0;
    while (!fork_failed) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) break;
        const auto left = deadline == std::chrono::steady_clock::time_point::max()
                              ? std::chrono::milliseconds(1000)
                              : std::min<std::chrono::milliseconds>(
                                    std::chrono::milliseconds(1000),
                                    std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) +
                                        std::chrono::milliseconds(1));
        timespec ts{static_cast<time_t>(left.count() / 1000),
                    static_cast<long>((left.count() % 1000) * 1000000)};
        const int sig = ::sigtimedwait(&stop_signals, nullptr, &ts);
        if (sig == SIGINT || sig == SIGTERM) break;
        running = reap(children, false, err, failed);
        if (running == 0) break;
    }

    // Stop: SIGTERM to the group, then SIGKILL after the grace period; reap everyone.
    if (group > 0) ::kill(-group, SIGTERM);
    const auto give_up = std::chrono::steady_clock::now() + kStopGrace;
    bool killed = false;
    for (;;) {
        running = reap(children, true, err, failed);
        if (running == 0) break;
        if (!killed && std::chrono::steady_clock::now() >= give_up) {
            err << "testnet: " << running << " node(s) ignored SIGTERM; killing them\n";
            ::kill(-group, SIGKILL);
            killed = true;
            failed = true;
        }
        timespec ts{0, 100'000'000};
        sigset_t chld;
        sigemptyset(&chld);
        sigaddset(&chld, SIGCHLD);
        ::sigtimedwait(&chld, nullptr, &ts);
    }
    sigprocmask(SIG_SETMASK, &old_mask, nullptr);
    return failed ? 1 : 0;
}

}  // namespace cl::app
