// The DOT reader of the topology import (import.hpp).
#include "sim/net/import.hpp"
#include "sim/net/import_detail.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>

#include "sim/net/dot_lexer.hpp"

namespace cl::sim::net {
namespace {

using namespace detail;

// ---------------------------------------------------------------------------------------
// DOT, read with Boost.Graph's read_graphviz. Attribute values are read as strings and
// checked by build(), so a bad value gets a message naming the edge and attribute.

struct DotVertex {
    std::string name, label, latitude, longitude;
};
struct DotEdge {
    std::string latency_ms, latency, bandwidth_bps, bandwidth_mbit_s, link_speed_raw;
};

template <class Graph>
boost::dynamic_properties dot_properties(Graph& g) {
    boost::dynamic_properties dp(boost::ignore_other_properties);
    dp.property("node_id", boost::get(&DotVertex::name, g));
    dp.property("label", boost::get(&DotVertex::label, g));
    dp.property("Latitude", boost::get(&DotVertex::latitude, g));
    dp.property("Longitude", boost::get(&DotVertex::longitude, g));
    dp.property("latency_ms", boost::get(&DotEdge::latency_ms, g));
    dp.property("latency", boost::get(&DotEdge::latency, g));
    dp.property("bandwidth_bps", boost::get(&DotEdge::bandwidth_bps, g));
    dp.property("bandwidth_mbit_s", boost::get(&DotEdge::bandwidth_mbit_s, g));
    dp.property("LinkSpeedRaw", boost::get(&DotEdge::link_speed_raw, g));
    return dp;
}

RawValue dot_value(const std::string& s) { return RawValue{s, kNoOffset, !s.empty()}; }

// Boost numbers vertices in the order of its std::map of node names (alphabetical). The
// topology numbers them in the order the text first mentions them (`order`, from
// dot::nodes_in_order), as GraphML nodes are in document order; a name the scan did not
// see (none should be) follows, in Boost's order.
template <class Graph>
RawGraph raw_from_dot(const Graph& g, const std::vector<std::string>& order) {
    RawGraph raw;
    const std::size_t n = boost::num_vertices(g);
    std::unordered_map<std::string_view, std::size_t> rank;  // lookups only
    for (std::size_t i = 0; i < order.size(); ++i) rank.emplace(order[i], i);
    std::vector<std::pair<std::size_t, std::size_t>> keyed(n);  // (rank, Boost's index)
    for (std::size_t v = 0; v < n; ++v) {
        const auto it = rank.find(g[boost::vertex(v, g)].name);
        keyed[v] = {it != rank.end() ? it->second : order.size() + v, v};
    }
    std::sort(keyed.begin(), keyed.end());
    std::vector<std::size_t> index(n);
    for (std::size_t i = 0; i < n; ++i) index[keyed[i].second] = i;
    raw.nodes.resize(n);
    for (std::size_t v = 0; v < n; ++v) {
        const DotVertex& p = g[boost::vertex(v, g)];
        raw.nodes[index[v]] = RawNode{p.name, p.label, dot_value(p.latitude), dot_value(p.longitude)};
    }
    for (auto [it, end] = boost::edges(g); it != end; ++it) {
        const DotEdge& p = g[*it];
        raw.edges.push_back(RawEdge{index[boost::source(*it, g)], index[boost::target(*it, g)], kNoOffset,
                                    dot_value(p.latency_ms), dot_value(p.latency), dot_value(p.bandwidth_bps),
                                    dot_value(p.bandwidth_mbit_s), dot_value(p.link_speed_raw)});
    }
    return raw;
}

using DotUndirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, DotVertex, DotEdge>;
using DotDirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, DotVertex, DotEdge>;

// One parse attempt: the topology or an error without a position.
std::expected<Topology, BuildError> attempt_dot(const std::string& text, const std::string& file,
                                                const ImportOptions& options,
                                                const std::vector<std::string>& order) {
    const auto syntax = [&](std::string message) {
        return std::unexpected(
            BuildError{InputError{InputErrorKind::kSyntax, file, 0, 0, std::move(message)}, "", ""});
    };
    auto read = [&]<class Graph>(Graph& g) -> std::expected<Topology, BuildError> {
        boost::dynamic_properties dp = dot_properties(g);
        if (!boost::read_graphviz(text, g, dp, "node_id")) return syntax("invalid DOT");
        return build(raw_from_dot(g, order), text, file, options);
    };
    try {
        try {
            DotUndirected g;
            return read(g);
        } catch (const boost::directed_graph_error&) {
            DotDirected g;
            return read(g);
        }
    } catch (const std::exception& e) {
        return syntax(e.what());
    } catch (...) {
        return syntax("unknown parse error");
    }
}

bool same_error(const std::expected<Topology, BuildError>& a, const InputError& b) {
    return !a && a.error().error.kind == b.kind && a.error().error.message == b.message;
}

// Whether a prefix of a valid graph that ends after tokens[k] (closed by the braces it
// leaves open) is a valid graph too: k is inside the graph's braces, outside [ ] and the
// parentheses of a port, and neither k nor the token after it is halfway through a
// statement (an attribute assignment, an edge chain, a port, a string concatenation).
bool statement_end(const std::vector<dot::Token>& tokens, std::size_t k, int brackets, int parens) {
    using dot::TokenType;
    if (brackets != 0 || parens != 0) return false;
    const TokenType t = tokens[k].type;
    if (t == TokenType::kEqual || t == TokenType::kColon || t == TokenType::kAt || t == TokenType::kEdgeOp ||
        t == TokenType::kPlus || t == TokenType::kNode || t == TokenType::kEdge || t == TokenType::kGraph ||
        t == TokenType::kSubgraph || t == TokenType::kDigraph || t == TokenType::kStrict)
        return false;
    if (k + 1 < tokens.size()) {
        const TokenType next = tokens[k + 1].type;
        if (next == TokenType::kLeftBracket || next == TokenType::kEqual || next == TokenType::kColon ||
            next == TokenType::kAt || next == TokenType::kEdgeOp || next == TokenType::kPlus)
            return false;
    }
    return true;
}

// Boost's DOT parser reports neither line nor column; the position of its error is
// recovered here (docs/simulation.md "Topology files"):
//   - at the end of the input (Boost names the token <eof>, or says "at end of input"):
//     the end of the last token;
//   - a lexical error (Boost quotes the character): where dot::lex, a copy of Boost's
//     tokenizer, stops;
//   - a syntax error at a token: the token T such that the text through T fails with the
//     same message and the text through the token before does not (the parser stops at
//     its first error, so a shorter prefix fails at its end, naming <eof>): bisection over
//     the tokens, O(log tokens) parses;
//   - a bad attribute value (found once the graph is built): the same bisection over the
//     prefixes that end a statement (closed by the braces they leave open) finds the
//     statement that makes the value apply; the position is the VALUE of the last
//     `NAME = VALUE` up to there, NAME the attribute and VALUE its text as the error
//     quotes them (else the statement's last token).
// The rules rest on dot::lex reading the text as Boost does; where it would not, the
// position is still one of the text's tokens, but may miss the offending one.
InputError locate_dot_error(const std::string& text, const dot::Lexed& lexed, const BuildError& whole,
                            const std::string& file, const ImportOptions& options) {
    const std::vector<dot::Token>& tokens = lexed.tokens;
    InputError e = whole.error;
    auto at = [&](std::size_t offset) {
        const auto [line, column] = line_column(text, offset);
        e.line = line;
        e.column = column;
        return e;
    };
    const std::string& m = e.message;
    if (e.kind == InputErrorKind::kSyntax) {
        if (m.ends_with("(token is \"<eof> ''\")") || m.ends_with("(at end of input)")) {
            return at(tokens.empty() ? 0 : tokens.back().end);
        }
        if (m.find("(char is '") != std::string::npos && lexed.error != std::string_view::npos) {
            return at(lexed.error);
        }
        if (tokens.empty()) return at(0);
        std::size_t lo = 0, hi = tokens.size() - 1;  // the answer, if any, in [lo, hi]
        while (lo < hi) {
            const std::size_t mid = lo + (hi - lo) / 2;
            if (same_error(attempt_dot(text.substr(0, tokens[mid].end), file, options, {}), e))
                hi = mid;
            else
                lo = mid + 1;
        }
        return at(tokens[lo].begin);
    }
    // A bad value: the statements' ends, then bisection.
    std::vector<std::size_t> ends;
    int brackets = 0, parens = 0;
    bool in_graph = false;
    for (std::size_t k = 0; k < tokens.size(); ++k) {
        const dot::TokenType t = tokens[k].type;
        if (t == dot::TokenType::kLeftBracket) ++brackets;
        if (t == dot::TokenType::kRightBracket) --brackets;
        if (t == dot::TokenType::kLeftParen) ++parens;
        if (t == dot::TokenType::kRightParen) --parens;
        if (in_graph && statement_end(tokens, k, brackets, parens)) ends.push_back(k);
        in_graph = in_graph || t == dot::TokenType::kLeftBrace;
    }
    if (ends.empty()) return at(0);
    auto fails_through = [&](std::size_t k) {
        std::string prefix = text.substr(0, tokens[k].end);
        prefix += '\n';
        prefix.append(dot::open_braces(tokens, k + 1), '}');
        return same_error(attempt_dot(prefix, file, options, {}), e);
    };
    std::size_t lo = 0, hi = ends.size() - 1;
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (fails_through(ends[mid]))
            hi = mid;
        else
            lo = mid + 1;
    }
    const std::size_t last = ends[lo];
    for (std::size_t k = last + 1; k-- > 2;) {
        if (tokens[k].type == dot::TokenType::kIdentifier && tokens[k].value == whole.value &&
            tokens[k - 1].type == dot::TokenType::kEqual && tokens[k - 2].value == whole.attribute &&
            tokens[k - 2].type == dot::TokenType::kIdentifier) {
            return at(tokens[k].begin);
        }
    }
    return at(tokens[last].begin);
}

}  // namespace

std::expected<Topology, InputError> parse_graphviz(std::string_view view, const std::string& file,
                                                   const ImportOptions& options) {
    if (auto bad = check_options(file, options)) return std::unexpected(std::move(*bad));
    const std::string text(view);
    const dot::Lexed lexed = dot::lex(text);
    auto t = attempt_dot(text, file, options, dot::nodes_in_order(lexed.tokens));
    if (t) return std::move(*t);
    return std::unexpected(locate_dot_error(text, lexed, t.error(), file, options));
}

}  // namespace cl::sim::net
