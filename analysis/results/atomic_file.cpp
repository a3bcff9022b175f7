#include "analysis/results/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <utility>

#include "analysis/results/results_file.hpp"

namespace cl::analysis {
namespace {

// Inside this file a failure throws Failure; the public functions return it as a value.
struct Failure {
    std::string message;
};

[[noreturn]] void fail(std::string message) { throw Failure{std::move(message)}; }

// Publishing the bytes (docs/metrics.md "How the file is written"). Linux: the bytes go to an unnamed file
// (O_TMPFILE) in the target's directory, which is fsynced and then linked into place
// (linkat); the directory is fsynced after. A name other than `path` exists only when
// `path` already exists (linkat cannot replace): then the unnamed file is linked as
// temp_path_for(path) and renamed over `path` at once, or, on a file system without
// O_TMPFILE, the bytes are written to that temporary name first. The temporary name is
// registered for remove_unfinished_results_files while it exists.

// Temporary names that exist right now, for the signal handler. A slot is claimed with a
// compare-exchange on `state` (0 free, 1 being filled, 2 armed); the handler reads armed
// slots only. std::atomic<int> is lock-free, so reading it is async-signal-safe.
struct PendingSlot {
    std::atomic<int> state{0};
    int dirfd = -1;
    char name[NAME_MAX + 1] = {};
};
std::array<PendingSlot, 16> g_pending;
static_assert(std::atomic<int>::is_always_lock_free);

// Registers `name` (in the directory `dirfd`) while alive. With every slot taken (more
// than 16 writers at once) the name goes unregistered: a signal may then leave it behind.
class PendingTemp {
  public:
    PendingTemp(int dirfd, const std::string& name) {
        if (name.size() > NAME_MAX) return;
        for (PendingSlot& s : g_pending) {
            int expected = 0;
            if (!s.state.compare_exchange_strong(expected, 1, std::memory_order_acquire)) continue;
            s.dirfd = dirfd;
            std::memcpy(s.name, name.c_str(), name.size() + 1);
            s.state.store(2, std::memory_order_release);
            slot_ = &s;
            return;
        }
    }
    ~PendingTemp() {
        if (slot_ != nullptr) slot_->state.store(0, std::memory_order_release);
    }
    PendingTemp(const PendingTemp&) = delete;
    PendingTemp& operator=(const PendingTemp&) = delete;

  private:
    PendingSlot* slot_ = nullptr;
};

// An owned file descriptor.
class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }

  private:
    int fd_;
};

std::string errno_text() { return std::strerror(errno); }

void write_all(int fd, std::span<const unsigned char> bytes, const std::string& what) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("cannot write " + what + ": " + errno_text());
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) fail("cannot sync " + what + ": " + errno_text());
}

// The directory part of `path` ("." when none) and the file name; fails when the path
// names no file (empty, or ending in '/', "." or "..").
std::pair<std::string, std::string> split_path(const std::string& path) {
    const std::filesystem::path p(path);
    const std::string name = p.filename().string();
    if (path.empty()) fail("the path is empty");
    if (name.empty() || name == "." || name == "..") fail("the path names a directory, not a file");
    const std::string dir = p.parent_path().string();
    return {dir.empty() ? std::string(".") : dir, name};
}

// O_TMPFILE errors that mean "not supported here" (file system or kernel), not "not allowed".
bool tmpfile_unsupported(int error) { return error == EOPNOTSUPP || error == EISDIR || error == EINVAL; }

// Gives the unnamed file `fd` the name `name` in `dirfd`; false with errno set on failure
// (EEXIST when the name is taken). Through /proc/self/fd (any user); without /proc,
// AT_EMPTY_PATH (needs CAP_DAC_READ_SEARCH).
bool link_unnamed(int fd, int dirfd, const std::string& name) {
    const std::string proc = "/proc/self/fd/" + std::to_string(fd);
    if (::linkat(AT_FDCWD, proc.c_str(), dirfd, name.c_str(), AT_SYMLINK_FOLLOW) == 0) return true;
    if (errno != ENOENT) return false;
    return ::linkat(fd, "", dirfd, name.c_str(), AT_EMPTY_PATH) == 0;
}

void rename_into_place(int dirfd, const std::string& temp, const std::string& name, const std::string& path) {
    if (::renameat(dirfd, temp.c_str(), dirfd, name.c_str()) != 0) {
        const std::string reason = errno_text();
        ::unlinkat(dirfd, temp.c_str(), 0);
        fail("cannot rename " + temp + " to " + path + ": " + reason);
    }
}

// Writes `bytes` to `path` atomically (see above): afterwards `path` is the complete new
// file, or, on failure, as it was, with no temporary name left.
void publish(const std::string& path, std::span<const unsigned char> bytes) {
    const auto [dir, name] = split_path(path);
    const std::string temp_name = name + ".tmp-" + std::to_string(::getpid());
    const Fd dirfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dirfd.get() < 0) fail("cannot open the directory " + dir + ": " + errno_text());

    const Fd unnamed(::openat(dirfd.get(), ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666));
    if (unnamed.get() >= 0) {
        write_all(unnamed.get(), bytes, "the file");
        if (!link_unnamed(unnamed.get(), dirfd.get(), name)) {
            if (errno != EEXIST) fail("cannot link the file as " + path + ": " + errno_text());
            const PendingTemp pending(dirfd.get(), temp_name);
            ::unlinkat(dirfd.get(), temp_name.c_str(), 0);  // a stale one from an earlier process
            if (!link_unnamed(unnamed.get(), dirfd.get(), temp_name)) {
                fail("cannot link the file as " + temp_name + ": " + errno_text());
            }
            rename_into_place(dirfd.get(), temp_name, name, path);
        }
    } else if (tmpfile_unsupported(errno)) {
        const PendingTemp pending(dirfd.get(), temp_name);
        {
            const Fd temp(
                ::openat(dirfd.get(), temp_name.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
            if (temp.get() < 0) fail("cannot create " + temp_name + " in " + dir + ": " + errno_text());
            try {
                write_all(temp.get(), bytes, temp_name);
            } catch (const Failure&) {
                ::unlinkat(dirfd.get(), temp_name.c_str(), 0);
                throw;
            }
        }
        rename_into_place(dirfd.get(), temp_name, name, path);
    } else {
        fail("cannot create a file in " + dir + ": " + errno_text());
    }
    // The new name on disk too: a crash after we return keeps the file.
    if (::fsync(dirfd.get()) != 0) fail("cannot sync the directory " + dir + ": " + errno_text());
}

}  // namespace

std::expected<void, std::string> check_names_a_file(const std::string& path) {
    try {
        split_path(path);
    } catch (const Failure& f) {
        return std::unexpected(path + ": " + f.message);
    }
    return {};
}

std::expected<void, std::string> publish_atomically(const std::string& path,
                                                    std::span<const unsigned char> bytes) {
    try {
        publish(path, bytes);
    } catch (const Failure& f) {
        return std::unexpected(path + ": " + f.message);
    }
    return {};
}

std::string temp_path_for(const std::string& path) { return path + ".tmp-" + std::to_string(::getpid()); }

void remove_unfinished_results_files() noexcept {
    for (PendingSlot& s : g_pending) {
        if (s.state.load(std::memory_order_acquire) == 2) ::unlinkat(s.dirfd, s.name, 0);
    }
}

std::expected<void, std::string> check_output_path(const std::string& path) {
    try {
        const auto [dir, name] = split_path(path);
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) fail("the path is a directory");
        const Fd dirfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (dirfd.get() < 0) fail("cannot open the directory " + dir + ": " + errno_text());
        // The writer's own first step, undone at once: an unnamed file vanishes on close.
        const Fd probe(::openat(dirfd.get(), ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600));
        if (probe.get() < 0) {
            if (!tmpfile_unsupported(errno)) fail("cannot create a file in " + dir + ": " + errno_text());
            if (::faccessat(dirfd.get(), ".", W_OK | X_OK, AT_EACCESS) != 0) {
                fail("cannot create a file in " + dir + ": " + errno_text());
            }
        }
    } catch (const Failure& f) {
        return std::unexpected(path + ": " + f.message);
    }
    return {};
}

}  // namespace cl::analysis
