#include "sim/scenario/yaml_tree.hpp"

#include "sim/scenario/input.hpp"
#include "sim/scenario/limits.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <map>
#include <sstream>
#include <utility>

namespace cl::sim::scenario::detail {

const Entry* Node::find(std::string_view key) const {
    for (const Entry& e : entries) {
        if (e.key == key) return &e;
    }
    return nullptr;
}

Entry* Node::find(std::string_view key) {
    for (Entry& e : entries) {
        if (e.key == key) return &e;
    }
    return nullptr;
}

std::string describe(const Node& node) {
    switch (node.kind) {
        case Node::Kind::kNull:
            return "nothing (null)";
        case Node::Kind::kSequence:
            return "a list";
        case Node::Kind::kMap:
            return "a mapping";
        case Node::Kind::kScalar:
            break;
    }
    return quote(node.text);
}

namespace {

constexpr std::size_t kMaxNodes = kMaxYamlNodes;

// Thrown by the builder when aliases expand past kMaxNodes.
struct TooLarge {
    Pos pos;
    std::string key;
};

// Builds the tree from yaml-cpp's parse events.
class TreeBuilder final : public YAML::EventHandler {
  public:
    TreeBuilder(Source source, std::size_t line_offset, std::size_t column_offset,
                std::vector<ParseError>& errors)
        : source_(source), line_offset_(line_offset), column_offset_(column_offset), errors_(errors) {}

    std::optional<Node> root;

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        Node n;
        n.pos = pos(mark);
        name_anchor(anchor);
        complete(std::move(n), anchor);
    }

    // Called just before the event of the node that carries the anchor.
    void OnAnchor(const YAML::Mark&, const std::string& name) override { anchor_name_ = name; }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        Node n;
        uses_.try_emplace(anchor, pos(mark));
        const auto it = anchors_.find(anchor);
        if (it != anchors_.end()) {
            // Aliases are copies: bound the expanded size ("billion laughs").
            nodes_ += it->second.size;
            if (nodes_ > kMaxNodes) {
                throw TooLarge{pos(mark), path()};
            }
            n = it->second.node;
        }
        reposition(n, pos(mark));
        complete(std::move(n), 0);
    }

    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        Node n;
        n.kind = Node::Kind::kScalar;
        n.plain = tag == "?";
        n.text = value;
        n.pos = pos(mark);
        name_anchor(anchor);
        // A plain `~`/`null`/empty is YAML's null.
        if (n.plain && (value == "~" || value == "null" || value == "Null" || value == "NULL")) {
            n.kind = Node::Kind::kNull;
            n.text.clear();
        }
        complete(std::move(n), anchor);
    }

    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        Frame f;
        f.node.kind = Node::Kind::kSequence;
        f.node.pos = pos(mark);
        f.anchor = anchor;
        name_anchor(anchor);
        stack_.push_back(std::move(f));
    }
    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        Frame f;
        f.node.kind = Node::Kind::kMap;
        f.node.pos = pos(mark);
        f.anchor = anchor;
        name_anchor(anchor);
        stack_.push_back(std::move(f));
    }
    void OnMapEnd() override {
        apply_merge_keys(stack_.back());
        close();
    }

    // Marks every anchored node of the tree that an alias used (Node::first_alias).
    void mark_aliased(Node& n) const {
        if (n.anchor != 0) {
            if (const auto use = uses_.find(n.anchor); use != uses_.end()) {
                n.first_alias = use->second;
                if (const auto name = anchor_names_.find(n.anchor); name != anchor_names_.end()) {
                    n.anchor_name = name->second;
                }
            }
        }
        for (Node& item : n.items) mark_aliased(item);
        for (Entry& e : n.entries) mark_aliased(e.value);
    }

    // The dotted key path of the value being built (`clouds[0].quotas`), "" at the top.
    std::string path() const {
        std::string p;
        for (const Frame& f : stack_) {
            if (f.node.kind == Node::Kind::kSequence) {
                p += '[';
                p += std::to_string(f.node.items.size());
                p += ']';
            } else if (f.have_key && f.key_ok) {
                if (!p.empty()) p += '.';
                p += f.key;
            }
        }
        return p;
    }

  private:
    struct Frame {
        Node node;
        YAML::anchor_t anchor = 0;
        // Maps alternate key, value: the key waiting for its value.
        bool have_key = false;
        bool key_ok = true;  // false: a non-scalar key, its value is dropped
        std::string key;
        Pos key_pos;
        std::vector<Node> merges;  // values of `<<` keys
    };

    Pos pos(const YAML::Mark& mark) const {
        Pos p;
        p.source = source_;
        const auto line = static_cast<std::size_t>(mark.line < 0 ? 0 : mark.line) + 1;
        const auto column = static_cast<std::size_t>(mark.column < 0 ? 0 : mark.column) + 1;
        p.line = line + line_offset_;
        p.column = line == 1 ? column + column_offset_ : column;
        return p;
    }

    // Also drops the anchor ids: a copy is not the anchored node.
    static void reposition(Node& n, const Pos& p) {
        n.pos = p;
        n.anchor = 0;
        for (Node& item : n.items) reposition(item, p);
        for (Entry& e : n.entries) {
            e.key_pos = p;
            reposition(e.value, p);
        }
    }

    void close() {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        complete(std::move(f.node), f.anchor);
    }

    static std::size_t count(const Node& n) {
        std::size_t total = 1;
        for (const Node& item : n.items) total += count(item);
        for (const Entry& e : n.entries) total += 1 + count(e.value);
        return total;
    }

    void name_anchor(YAML::anchor_t anchor) {
        if (anchor != 0) anchor_names_[anchor] = std::exchange(anchor_name_, {});
    }

    void complete(Node n, YAML::anchor_t anchor) {
        ++nodes_;
        if (anchor != 0) {
            n.anchor = anchor;
            anchors_[anchor] = Anchored{n, count(n)};
        }
        if (stack_.empty()) {
            if (!root) root = std::move(n);
            return;
        }
        Frame& top = stack_.back();
        if (top.node.kind == Node::Kind::kSequence) {
            top.node.items.push_back(std::move(n));
            return;
        }
        if (!top.have_key) {
            top.have_key = true;
            top.key_pos = n.pos;
            top.key_ok = n.kind == Node::Kind::kScalar;
            top.key = n.text;
            if (!top.key_ok)
                errors_.push_back({n.pos, "a key must be a plain name, not " + describe(n), path()});
            return;
        }
        if (!top.key_ok) {
            top.have_key = false;
            return;
        }
        if (top.key == "<<") {
            check_merge_value(n);
            top.have_key = false;
            top.merges.push_back(std::move(n));
            return;
        }
        if (const Entry* first = top.node.find(top.key)) {
            errors_.push_back({top.key_pos,
                               "duplicate key " + quote(top.key) + " (first given at line " +
                                   std::to_string(first->key_pos.line) + ")",
                               path()});
            top.have_key = false;
            return;
        }
        top.have_key = false;
        top.node.entries.push_back(Entry{std::move(top.key), top.key_pos, std::move(n)});
    }

    // YAML merge keys (yaml.org/type/merge.html): the value of `<<` is a mapping or a list
    // of mappings; anything else (`<<: 5`) is an error, not silently nothing.
    // REQUIRES: the `<<` key is the pending key of the top frame (for the path).
    void check_merge_value(const Node& n) {
        const std::string key = path();
        if (n.kind == Node::Kind::kSequence) {
            for (std::size_t i = 0; i < n.items.size(); ++i) {
                if (n.items[i].kind == Node::Kind::kMap) continue;
                errors_.push_back(
                    {n.items[i].pos,
                     "a merge key (<<) takes a mapping or a list of mappings, got a list holding " +
                         describe(n.items[i]),
                     key + "[" + std::to_string(i) + "]"});
            }
        } else if (n.kind != Node::Kind::kMap) {
            errors_.push_back(
                {n.pos, "a merge key (<<) takes a mapping or a list of mappings, got " + describe(n), key});
        }
    }

    // YAML merge keys: entries of the merged maps that the map does not set itself.
    void apply_merge_keys(Frame& f) {
        for (const Node& m : f.merges) {
            std::vector<const Node*> sources;
            if (m.kind == Node::Kind::kMap) {
                sources.push_back(&m);
            } else if (m.kind == Node::Kind::kSequence) {
                for (const Node& item : m.items) sources.push_back(&item);
            }
            for (const Node* src : sources) {
                if (src->kind != Node::Kind::kMap) continue;  // reported by check_merge_value
                for (const Entry& e : src->entries) {
                    if (f.node.find(e.key) == nullptr) f.node.entries.push_back(e);
                }
            }
        }
    }

    Source source_;
    std::size_t line_offset_;
    std::size_t column_offset_;
    std::vector<ParseError>& errors_;
    std::vector<Frame> stack_;
    struct Anchored {
        Node node;
        std::size_t size = 0;
    };
    std::map<YAML::anchor_t, Anchored> anchors_;
    std::map<YAML::anchor_t, Pos> uses_;                  // first alias of each anchor
    std::map<YAML::anchor_t, std::string> anchor_names_;  // from OnAnchor
    std::string anchor_name_;                             // the next node's anchor
    std::size_t nodes_ = 0;
};

// A tab in the leading whitespace of a line at or before `line` (1-based), which YAML
// forbids and yaml-cpp reports obscurely: its position, if any.
std::optional<std::pair<std::size_t, std::size_t>> find_indent_tab(std::string_view text, std::size_t upto) {
    std::size_t line = 1;
    std::size_t i = 0;
    while (i < text.size() && line <= upto) {
        std::size_t col = 1;
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
            if (text[i] == '\t') {
                // Only indentation that precedes content counts (a blank line is harmless).
                std::size_t j = i;
                while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
                if (j < text.size() && text[j] != '\n' && text[j] != '\r' && text[j] != '#') {
                    return std::make_pair(line, col);
                }
            }
            ++i;
            ++col;
        }
        while (i < text.size() && text[i] != '\n') ++i;
        if (i < text.size()) ++i;
        ++line;
    }
    return std::nullopt;
}

}  // namespace

std::optional<Node> parse_yaml(std::string_view text, Source source, std::size_t line_offset,
                               std::size_t column_offset, std::vector<ParseError>& errors) {
    std::vector<ParseError> tree_errors;
    TreeBuilder builder(source, line_offset, column_offset, tree_errors);
    try {
        std::istringstream in{std::string(text)};
        YAML::Parser parser(in);
        if (!parser.HandleNextDocument(builder)) {
            Node empty;
            empty.pos = Pos{source, 1 + line_offset, 1 + column_offset};
            errors.insert(errors.end(), tree_errors.begin(), tree_errors.end());
            return empty;
        }
        // A second document: a scenario is one mapping (yaml-cpp also starts a new
        // document at a top-level `- item` followed by `key: value`).
        TreeBuilder second(source, line_offset, column_offset, tree_errors);
        if (parser.HandleNextDocument(second)) {
            Pos p{source, 1 + line_offset, 1 + column_offset};
            if (second.root) p = second.root->pos;
            errors.push_back({p,
                              "a second YAML document (or a list item mixed with keys at the top level): "
                              "a scenario is one mapping",
                              ""});
            return std::nullopt;
        }
    } catch (const TooLarge& e) {
        errors.push_back({e.pos,
                          "the document is too large once its aliases are expanded (more than " +
                              std::to_string(kMaxNodes) + " nodes)",
                          e.key});
        return std::nullopt;
    } catch (const YAML::Exception& e) {
        const auto line = static_cast<std::size_t>(e.mark.line < 0 ? 0 : e.mark.line) + 1;
        const auto column = static_cast<std::size_t>(e.mark.column < 0 ? 0 : e.mark.column) + 1;
        if (const auto tab = find_indent_tab(text, line)) {
            errors.push_back({Pos{source, tab->first + line_offset,
                                  tab->first == 1 ? tab->second + column_offset : tab->second},
                              "tab character in indentation: YAML indents with spaces only", ""});
        } else {
            errors.push_back({Pos{source, line + line_offset, line == 1 ? column + column_offset : column},
                              "YAML syntax error: " + e.msg, builder.path()});
        }
        return std::nullopt;
    }
    errors.insert(errors.end(), tree_errors.begin(), tree_errors.end());
    if (!builder.root) {
        Node empty;
        empty.pos = Pos{source, 1 + line_offset, 1 + column_offset};
        return empty;
    }
    builder.mark_aliased(*builder.root);
    return std::move(builder.root);
}

}  // namespace cl::sim::scenario::detail
