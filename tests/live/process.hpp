// Test helpers that start `cloudledger` processes and always stop them: a Process is
// started in a process group of its own and its destructor SIGKILLs the whole group and
// reaps the child, so a failing test (an ASSERT returning early) leaves nothing behind.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "live/asio.hpp"

namespace cl::live::test {

class Process {
  public:
    // Starts `argv` (argv[0] a path) with stdout on a pipe the test reads; stderr is
    // inherited (ctest shows it on failure).
    explicit Process(std::vector<std::string> argv) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) return;
        std::vector<char*> a;
        for (auto& s : argv) a.push_back(s.data());
        a.push_back(nullptr);
        const pid_t parent = ::getpid();
        pid_ = ::fork();
        if (pid_ == 0) {
            ::setpgid(0, 0);
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (::getppid() != parent) ::_exit(1);
            ::dup2(fds[1], STDOUT_FILENO);
            ::execv(a[0], a.data());
            ::_exit(127);
        }
        ::setpgid(pid_, pid_);
        ::close(fds[1]);
        out_ = fds[0];
    }
    ~Process() {
        kill_group(SIGKILL);
        wait();
        if (out_ >= 0) ::close(out_);
    }
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return pid_; }
    void kill_group(int sig) {
        if (pid_ > 0 && !status_) ::kill(-pid_, sig);
    }
    void signal(int sig) {
        if (pid_ > 0 && !status_) ::kill(pid_, sig);
    }
    // Waits for the exit (up to `timeout`); the wait status, or nullopt on timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        if (status_ || pid_ <= 0) return status_;
        const auto end = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            int st = 0;
            if (::waitpid(pid_, &st, WNOHANG) == pid_) {
                status_ = st;
                return status_;
            }
            if (std::chrono::steady_clock::now() >= end) return std::nullopt;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    // The next line of stdout, or nullopt on EOF or timeout.
    std::optional<std::string> read_line(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
        const auto end = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
                std::string line = buffer_.substr(0, nl);
                buffer_.erase(0, nl + 1);
                return line;
            }
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
            if (left.count() <= 0) return std::nullopt;
            pollfd p{out_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
            char buf[512];
            const ssize_t n = ::read(out_, buf, sizeof buf);
            if (n <= 0) return std::nullopt;
            buffer_.append(buf, static_cast<std::size_t>(n));
        }
    }

  private:
    pid_t pid_ = -1;
    int out_ = -1;
    std::string buffer_;
    std::optional<int> status_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (the kernel's ephemeral choice).
inline std::uint16_t free_port() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
}

// Peak resident set (VmHWM) of a running process, in KiB; 0 when unknown.
inline std::size_t peak_rss_kib(pid_t pid) {
    FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/status").c_str(), "r");
    if (!f) return 0;
    char line[256];
    std::size_t kib = 0;
    while (std::fgets(line, sizeof line, f)) {
        if (std::sscanf(line, "VmHWM: %zu", &kib) == 1) break;
    }
    std::fclose(f);
    return kib;
}

// The direct children of `pid` (from /proc/*/stat).
inline std::vector<pid_t> children_of(pid_t pid) {
    std::vector<pid_t> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        FILE* f = std::fopen((entry.path() / "stat").c_str(), "r");
        if (!f) continue;
        int p = 0, pp = 0;
        char comm[256];
        char state = 0;
        if (std::fscanf(f, "%d (%255[^)]) %c %d", &p, comm, &state, &pp) == 4 && pp == pid) out.push_back(p);
        std::fclose(f);
    }
    return out;
}

}  // namespace cl::live::test
