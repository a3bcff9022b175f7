// Node selectors (docs/scenarios.md "Node selectors") and times of the run, as the
// faults and consensus.clients read them; what a selector covers, for overlap checks.
#include <algorithm>

#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {

std::optional<NodeSelector> check_selector(Load& l, const Field& f) {
    const std::string* t = scalar(l.c, f, "a node selector (e.g. validator:NAME, full:N, region:NAME)");
    if (t == nullptr) return std::nullopt;
    std::string error;
    auto sel = parse_selector(*t, &error);
    if (!sel) {
        l.c.error(f.pos, f.key, error);
        return std::nullopt;
    }
    sel->pos = source_pos(f.pos);
    const std::size_t clouds = l.s.clouds.size();
    const std::size_t full = l.s.network.full_nodes;
    switch (sel->kind) {
        case NodeSelector::Kind::kValidator: {
            std::vector<std::string> names;
            for (const auto& c : l.s.clouds) {
                if (!c.name.empty() && std::find(names.begin(), names.end(), c.name) == names.end()) {
                    names.push_back(c.name);
                }
            }
            if (std::find(names.begin(), names.end(), sel->name) == names.end()) {
                l.c.error(f.pos, f.key,
                          "no cloud named " + quote(sel->name) + " (clouds: " + join(names) + ")" +
                              did_you_mean(sel->name, names));
                return std::nullopt;
            }
            break;
        }
        case NodeSelector::Kind::kFull:
            if (sel->last >= full && l.node_count_ok) {
                l.c.error(
                    f.pos, f.key,
                    "full node " + std::to_string(sel->last) + " does not exist (" + std::to_string(full) +
                        " full nodes: full:0 to full:" + std::to_string(full == 0 ? 0 : full - 1) + ")");
                return std::nullopt;
            }
            break;
        case NodeSelector::Kind::kNode:
            if (sel->last >= clouds + full && l.node_count_ok) {
                l.c.error(f.pos, f.key,
                          "node " + std::to_string(sel->last) + " does not exist (" +
                              std::to_string(clouds + full) +
                              " nodes: node:0 to node:" + std::to_string(clouds + full - 1) + ")");
                return std::nullopt;
            }
            break;
        case NodeSelector::Kind::kRegion: {
            if (!check_region_name(l, f, sel->name)) return std::nullopt;
            break;
        }
        case NodeSelector::Kind::kAllValidators:
        case NodeSelector::Kind::kAllFull:
            break;
    }
    return sel;
}

std::optional<Time> read_time(Load& l, const Field& f, bool end_allowed) {
    const auto d = read_duration(l.c, f);
    if (!d) return std::nullopt;
    if (!l.duration_ok) return Time::at(*d);  // the run's end is itself in error
    const bool outside = end_allowed ? *d > l.s.duration : *d >= l.s.duration;
    if (outside) {
        l.c.error(f.pos, f.key,
                  "time " + excerpt(f.node->text) + " is " + (*d == l.s.duration ? "at" : "after") +
                      " the end of the run (duration " + format_duration(l.s.duration) + ")");
        return std::nullopt;
    }
    return Time::at(*d);
}

std::vector<std::string> cloud_names(const Load& l) {
    std::vector<std::string> names;
    for (const auto& c : l.s.clouds) names.push_back(c.name);
    return names;
}

std::optional<std::string> read_cloud_name(Load& l, const Field& f) {
    if (!f) return std::nullopt;
    const std::string* t = scalar(l.c, f, "a cloud name");
    if (t == nullptr) return std::nullopt;
    const std::vector<std::string> names = cloud_names(l);
    if (std::find(names.begin(), names.end(), *t) == names.end()) {
        l.c.error(f.pos, f.key,
                  "no cloud named " + quote(*t) + " (clouds: " + join(names) + ")" + did_you_mean(*t, names));
        return std::nullopt;
    }
    return *t;
}

bool read_cloud_list(Load& l, const Field& f, std::string_view what, std::vector<std::string>& out) {
    if (!f) return false;  // required: reported by read_keys
    const auto* items = list(l.c, f, std::string(what) + " cloud names");
    if (items == nullptr) return false;
    if (items->empty()) {
        l.c.error(f.pos, f.key, "at least one " + std::string(what) + " validator is required");
        return false;
    }
    bool ok = true;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const Field cf = item(f, *items, i);
        const std::optional<std::string> name = read_cloud_name(l, cf);
        if (!name) {
            ok = false;
        } else if (std::find(out.begin(), out.end(), *name) != out.end()) {
            l.c.error(cf.pos, cf.key, quote(*name) + " is listed twice");
            ok = false;
        } else {
            out.push_back(*name);
        }
    }
    return ok;
}

std::optional<Window> read_window(Load& l, const MapReader& m) {
    const Field ff = m.get("from");
    const Field tf = m.get("to");
    std::optional<Time> f = Time::zero();
    if (ff) f = read_time(l, ff, false);
    std::optional<Time> t = Time::at(l.s.duration);
    if (tf) t = read_time(l, tf, true);
    if (!f || !t) return std::nullopt;
    if (*t <= *f) {
        if (tf) {
            l.c.error(tf.pos, tf.key,
                      "to (" + excerpt(tf.node->text) + ") must be after from (" +
                          (ff ? excerpt(ff.node->text) : std::string("0s")) + ")");
        }
        return std::nullopt;
    }
    return Window{*f, *t};
}

Members members(const Load& l, const NodeSelector& sel) {
    Members m;
    const std::size_t clouds = l.s.clouds.size();
    m.validators.assign(clouds, false);
    switch (sel.kind) {
        case NodeSelector::Kind::kValidator:
            for (std::size_t c = 0; c < clouds; ++c) m.validators[c] = l.s.clouds[c].name == sel.name;
            break;
        case NodeSelector::Kind::kAllValidators:
            m.validators.assign(clouds, true);
            break;
        case NodeSelector::Kind::kFull:
            m.full.emplace_back(sel.first, sel.last);
            break;
        case NodeSelector::Kind::kAllFull:
            m.all_full = true;
            break;
        case NodeSelector::Kind::kNode:
            for (std::uint64_t v = sel.first; v <= sel.last && v < clouds; ++v) m.validators[v] = true;
            if (sel.last >= clouds)
                m.full.emplace_back(std::max<std::uint64_t>(sel.first, clouds) - clouds, sel.last - clouds);
            break;
        case NodeSelector::Kind::kRegion:
            for (std::size_t c = 0; c < clouds; ++c) m.validators[c] = l.s.clouds[c].region == sel.name;
            m.regions.push_back(sel.name);
            break;
    }
    return m;
}

std::string overlap(const Load& l, const Members& a, const Members& b) {
    for (std::size_t c = 0; c < a.validators.size(); ++c) {
        if (a.validators[c] && b.validators[c]) return "validator:" + l.s.clouds[c].name;
    }
    for (const auto& ra : a.full) {
        for (const auto& rb : b.full) {
            if (ra.first <= rb.second && rb.first <= ra.second) {
                return "full:" + std::to_string(std::max(ra.first, rb.first));
            }
        }
    }
    const std::size_t full = l.s.network.full_nodes;
    if ((a.all_full && (b.all_full || !b.full.empty() || !b.regions.empty())) ||
        (b.all_full && (!a.full.empty() || !a.regions.empty()))) {
        return full > 0 ? "full nodes" : "";
    }
    for (const auto& r : a.regions) {
        if (std::find(b.regions.begin(), b.regions.end(), r) != b.regions.end()) return "region:" + r;
    }
    return "";
}

}  // namespace cl::sim::scenario::detail
