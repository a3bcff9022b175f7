// The region model (generators.hpp): regions, one-way latencies and node shares read
// from a regions.yaml dataset (data/regions.yaml).
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/kernel/distributions.hpp"
#include "sim/net/generators.hpp"

namespace cl::sim::net {

namespace {

// yaml-cpp marks are 0-based line and column (column in bytes; the data files are ASCII).
InputError at_mark(InputErrorKind kind, const std::string& path, const YAML::Mark& mark, std::string msg) {
    if (mark.is_null()) return InputError{kind, path, 0, 0, std::move(msg)};
    return InputError{kind, path, static_cast<std::size_t>(mark.line) + 1,
                      static_cast<std::size_t>(mark.column) + 1, std::move(msg)};
}

InputError yaml_error(const std::string& path, const YAML::Node& at, InputErrorKind kind, std::string msg) {
    return at_mark(kind, path, at.Mark(), std::move(msg));
}

std::expected<double, InputError> as_nonneg_double(const std::string& path, const YAML::Node& node,
                                                   const std::string& what) {
    double v = 0;
    if (!node.IsScalar() || !YAML::convert<double>::decode(node, v) || !std::isfinite(v) || v < 0) {
        return std::unexpected(
            yaml_error(path, node, InputErrorKind::kBadValue, what + ": expected a non-negative number"));
    }
    return v;
}

Duration ms_to_duration(double ms) { return round_to_duration(ms * 1e6); }

std::expected<std::vector<double>, InputError> number_list(const std::string& path, const YAML::Node& node,
                                                           std::size_t count, const std::string& what) {
    if (!node.IsSequence() || node.size() != count) {
        return std::unexpected(
            yaml_error(path, node, InputErrorKind::kBadValue,
                       what + ": expected a list of " + std::to_string(count) + " numbers"));
    }
    std::vector<double> out;
    for (std::size_t i = 0; i < count; ++i) {
        auto v = as_nonneg_double(path, node[i], what);
        if (!v) return std::unexpected(v.error());
        out.push_back(*v);
    }
    return out;
}

std::expected<RegionModel, InputError> parse_region_model(const std::string& path, const YAML::Node& root,
                                                          std::string_view dataset) {
    if (!root.IsMap()) {
        return std::unexpected(
            yaml_error(path, root, InputErrorKind::kBadValue, "expected a mapping of datasets"));
    }
    const YAML::Node ds = root[std::string(dataset)];
    if (!ds) {
        return std::unexpected(InputError{InputErrorKind::kMissingField, path, 0, 0,
                                          "no dataset named '" + std::string(dataset) + "'"});
    }
    if (!ds.IsMap())
        return std::unexpected(yaml_error(path, ds, InputErrorKind::kBadValue, "expected a mapping"));
    RegionModel m;
    m.name = std::string(dataset);
    const YAML::Node regions = ds["regions"];
    if (!regions || !regions.IsSequence() || regions.size() == 0) {
        return std::unexpected(yaml_error(path, regions ? regions : ds, InputErrorKind::kMissingField,
                                          "'regions': expected a non-empty list of names"));
    }
    for (const auto& r : regions) {
        if (!r.IsScalar())
            return std::unexpected(yaml_error(path, r, InputErrorKind::kBadValue, "region name expected"));
        m.regions.push_back(r.as<std::string>());
    }
    const std::size_t n = m.regions.size();
    if (n > 0xffff)
        return std::unexpected(yaml_error(path, regions, InputErrorKind::kBadValue, "too many regions"));
    const bool rtt = static_cast<bool>(ds["rtt_ms"]);
    const YAML::Node matrix = rtt ? ds["rtt_ms"] : ds["latency_ms"];
    if (!matrix || !matrix.IsMap()) {
        return std::unexpected(
            yaml_error(path, matrix ? matrix : ds, InputErrorKind::kMissingField,
                       "expected 'rtt_ms' or 'latency_ms': a mapping from region to a row"));
    }
    double intra_ms = -1;
    if (rtt && ds["intra_region_rtt_ms"]) {
        auto v = as_nonneg_double(path, ds["intra_region_rtt_ms"], "intra_region_rtt_ms");
        if (!v) return std::unexpected(v.error());
        intra_ms = *v / 2;
    }
    m.one_way_latency.assign(n, std::vector<Duration>(n));
    for (std::size_t i = 0; i < n; ++i) {
        const YAML::Node row = matrix[m.regions[i]];
        if (!row) {
            return std::unexpected(yaml_error(path, matrix, InputErrorKind::kMissingField,
                                              "no latency row for region '" + m.regions[i] + "'"));
        }
        auto values = number_list(path, row, n, "row '" + m.regions[i] + "'");
        if (!values) return std::unexpected(values.error());
        for (std::size_t j = 0; j < n; ++j) {
            double ms = rtt ? (*values)[j] / 2 : (*values)[j];
            if (i == j && intra_ms >= 0) ms = intra_ms;
            m.one_way_latency[i][j] = ms_to_duration(ms);
        }
    }
    if (const YAML::Node up = ds["upload_mbit_s"]) {
        auto values = number_list(path, up, n, "upload_mbit_s");
        if (!values) return std::unexpected(values.error());
        for (std::size_t i = 0; i < n; ++i) {
            // 0 would read as "unlimited" downstream; 10^12 Mbit/s keeps bit/s in 2^63.
            const double bps = (*values)[i] * 1e6;
            if (!(bps >= 1.0 && bps <= 1e18)) {
                return std::unexpected(
                    yaml_error(path, up[i], InputErrorKind::kBadValue,
                               "upload_mbit_s: expected a positive bandwidth (at least 1 bit/s)"));
            }
            m.upload_bps.push_back(static_cast<std::uint64_t>(std::llround(bps)));
        }
    }
    if (const YAML::Node share = ds["node_share_bitcoin"]) {
        auto values = number_list(path, share, n, "node_share_bitcoin");
        if (!values) return std::unexpected(values.error());
        if (!WeightedChoice::from_weights(*values)) {
            return std::unexpected(
                yaml_error(path, share, InputErrorKind::kBadValue, "node shares must not all be 0"));
        }
        m.node_share = std::move(*values);
    }
    return m;
}

}  // namespace

std::expected<RegionModel, InputError> load_region_model(const std::string& path, std::string_view dataset) {
    try {
        YAML::Node root;
        try {
            root = YAML::LoadFile(path);
        } catch (const YAML::BadFile&) {
            return std::unexpected(InputError{InputErrorKind::kCannotOpen, path, 0, 0, "cannot open file"});
        } catch (const YAML::ParserException& e) {
            return std::unexpected(at_mark(InputErrorKind::kSyntax, path, e.mark, e.msg));
        }
        return parse_region_model(path, root, dataset);
    } catch (const YAML::Exception& e) {
        return std::unexpected(at_mark(InputErrorKind::kBadValue, path, e.mark, e.msg));
    }
}

std::expected<RegionModel, InputError> load_region_model_text(std::string_view text, const std::string& name,
                                                              std::string_view dataset) {
    try {
        YAML::Node root;
        try {
            root = YAML::Load(std::string(text));
        } catch (const YAML::ParserException& e) {
            return std::unexpected(at_mark(InputErrorKind::kSyntax, name, e.mark, e.msg));
        }
        return parse_region_model(name, root, dataset);
    } catch (const YAML::Exception& e) {
        return std::unexpected(at_mark(InputErrorKind::kBadValue, name, e.mark, e.msg));
    }
}

}  // namespace cl::sim::net
