#include "app/command_line.hpp"

#include <charconv>

namespace cl::app {

bool is_help(std::string_view arg) { return arg == "-h" || arg == "--help"; }

std::optional<std::expected<std::string, std::string>> take_value(
    std::span<const std::string> args, std::size_t& i, std::initializer_list<std::string_view> names) {
    const std::string& a = args[i];
    for (std::string_view name : names) {
        if (a == name) {
            if (i + 1 >= args.size()) return std::unexpected(std::string(name) + " needs a value");
            i += 1;
            return args[i];
        }
        if (name.starts_with("--") && a.size() > name.size() && a.starts_with(name) &&
            a[name.size()] == '=') {
            return a.substr(name.size() + 1);
        }
    }
    return std::nullopt;
}

std::expected<std::uint64_t, std::string> parse_count(std::string_view option, std::string_view text,
                                                      std::uint64_t lo, std::uint64_t hi) {
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n < lo || n > hi) {
        return std::unexpected(std::string(option) + ": '" + std::string(text) +
                               "' is not a whole number from " + std::to_string(lo) + " to " +
                               std::to_string(hi));
    }
    return n;
}

std::expected<unsigned, std::string> parse_jobs(std::string_view text) {
    unsigned n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n < 1 || n > 1024) {
        return std::unexpected("-j: '" + std::string(text) + "' is not a number of workers from 1 to 1024");
    }
    return n;
}

std::expected<void, std::string> take_file_argument(const std::string& arg, std::string& file,
                                                    std::string_view what) {
    if (arg.size() > 1 && arg[0] == '-') return std::unexpected("unknown option '" + arg + "'");
    if (!file.empty())
        return std::unexpected("more than one " + std::string(what) + " file given ('" + file + "', '" + arg +
                               "')");
    if (arg.empty()) return std::unexpected("the " + std::string(what) + " file name is empty");
    file = arg;
    return {};
}

int usage_error(std::ostream& err, std::string_view message, std::string_view usage,
                std::string_view command) {
    err << "error: " << message << "\n" << usage << "\n(cloudledger " << command << " --help for more)\n";
    return 2;
}

}  // namespace cl::app
