#include "app/command_line.hpp"

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

int usage_error(std::ostream& err, std::string_view message, std::string_view usage,
                std::string_view command) {
    err << "error: " << message << "\n" << usage << "\n(cloudledger " << command << " --help for more)\n";
    return 2;
}

}  // namespace cl::app
