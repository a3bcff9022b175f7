#include "sim/net/dot_lexer.hpp"

#include <unordered_set>

namespace cl::sim::net::dot {
namespace {

constexpr std::size_t kNone = std::string_view::npos;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_word(char c) { return is_alpha(c) || is_digit(c) || c == '_'; }
// Boost.Regex's line separators for `^` and `$`.
bool is_line_separator(char c) { return c == '\n' || c == '\r' || c == '\f'; }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_lower(std::string_view word, std::string_view keyword) {
    if (word.size() != keyword.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (lower(word[i]) != keyword[i]) return false;
    }
    return true;
}

class Lexer {
  public:
    explicit Lexer(std::string_view text) : s_(text) {}

    Lexed run() {
        Lexed out;
        while (true) {
            skip();
            if (pos_ >= s_.size()) break;
            Token t;
            t.begin = pos_;
            bool quoted = false;
            if (!next(t, quoted)) {
                out.error = error_;
                break;
            }
            if (quoted && !join(t)) {
                out.error = error_;
                break;
            }
            out.tokens.push_back(std::move(t));
        }
        return out;
    }

  private:
    // Boost: \A(?:\s+|//.*?$|/\*.*?\*/|^#.*?$|\\\n)*, where `^` also matches where the
    // skipping starts (Boost.Regex treats the start of the searched range as a line start).
    void skip() {
        const std::size_t start = pos_;
        while (pos_ < s_.size()) {
            const char c = s_[pos_];
            if (is_space(c)) {
                ++pos_;
            } else if (c == '/' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '/') {
                while (pos_ < s_.size() && !is_line_separator(s_[pos_])) ++pos_;
            } else if (c == '/' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '*') {
                const auto close = s_.find("*/", pos_ + 2);
                if (close == kNone) return;  // not a comment: '/' is then an invalid character
                pos_ = close + 2;
            } else if (c == '#' && (pos_ == start || is_line_separator(s_[pos_ - 1]))) {
                while (pos_ < s_.size() && !is_line_separator(s_[pos_])) ++pos_;
            } else if (c == '\\' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n') {
                pos_ += 2;
            } else {
                return;
            }
        }
    }

    bool fail(std::size_t at) {
        error_ = at;
        return false;
    }

    // One raw token at pos_ (not at the end). `quoted`: a quoted string (may be joined).
    bool next(Token& t, bool& quoted) {
        const char c = s_[pos_];
        if (is_alpha(c) || c == '_') {
            std::size_t e = pos_ + 1;
            while (e < s_.size() && is_word(s_[e])) ++e;
            const std::string_view word = s_.substr(pos_, e - pos_);
            static constexpr std::pair<std::string_view, TokenType> kKeywords[] = {
                {"strict", TokenType::kStrict},   {"graph", TokenType::kGraph},
                {"digraph", TokenType::kDigraph}, {"node", TokenType::kNode},
                {"edge", TokenType::kEdge},       {"subgraph", TokenType::kSubgraph}};
            t.type = TokenType::kIdentifier;
            for (const auto& [keyword, type] : kKeywords) {
                if (equals_lower(word, keyword)) t.type = type;
            }
            t.value = std::string(word);
            pos_ = t.end = e;
            return true;
        }
        static constexpr std::pair<char, TokenType> kPunctuation[] = {
            {'[', TokenType::kLeftBracket}, {']', TokenType::kRightBracket}, {'{', TokenType::kLeftBrace},
            {'}', TokenType::kRightBrace},  {';', TokenType::kSemicolon},    {'=', TokenType::kEqual},
            {',', TokenType::kComma},       {':', TokenType::kColon},        {'+', TokenType::kPlus},
            {'(', TokenType::kLeftParen},   {')', TokenType::kRightParen},   {'@', TokenType::kAt}};
        for (const auto& [ch, type] : kPunctuation) {
            if (c == ch) {
                t.type = type;
                t.value = std::string(1, c);
                pos_ = t.end = pos_ + 1;
                return true;
            }
        }
        if (c == '-' && pos_ + 1 < s_.size() && (s_[pos_ + 1] == '-' || s_[pos_ + 1] == '>')) {
            t.type = TokenType::kEdgeOp;
            t.value = std::string(s_.substr(pos_, 2));
            pos_ = t.end = pos_ + 2;
            return true;
        }
        // -?(?:\.\d+|\d+(?:\.\d*)?)
        {
            std::size_t e = pos_ + (c == '-' ? 1 : 0);
            std::size_t digits = e;
            if (e < s_.size() && s_[e] == '.') {
                ++digits;
                e = digits;
                while (e < s_.size() && is_digit(s_[e])) ++e;
                if (e == digits) e = kNone;
            } else {
                while (e < s_.size() && is_digit(s_[e])) ++e;
                if (e == digits) {
                    e = kNone;
                } else if (e < s_.size() && s_[e] == '.') {
                    ++e;
                    while (e < s_.size() && is_digit(s_[e])) ++e;
                }
            }
            if (e != kNone) {
                t.type = TokenType::kIdentifier;
                t.value = std::string(s_.substr(pos_, e - pos_));
                pos_ = t.end = e;
                return true;
            }
        }
        if (c == '"') {
            std::size_t e = pos_ + 1;
            while (e < s_.size() && s_[e] != '"') e += s_[e] == '\\' && e + 1 < s_.size() ? 2 : 1;
            if (e >= s_.size()) return fail(pos_);  // unterminated: '"' is an invalid character
            t.type = TokenType::kIdentifier;
            t.value = unquote(s_.substr(pos_ + 1, e - pos_ - 1));
            pos_ = t.end = e + 1;
            quoted = true;
            return true;
        }
        if (c == '<') return html(t);
        return fail(pos_);
    }

    // Boost removes \" and backslash-newline, nothing else.
    static std::string unquote(std::string_view raw) {
        std::string str(raw);
        for (std::size_t i = 0; i + 1 < str.size(); ++i) {
            if (str[i] == '\\' && str[i + 1] == '"') {
                str.erase(i, 1);
            } else if (str[i] == '\\' && str[i + 1] == '\n') {
                str.erase(i, 2);
                --i;  // undone by ++i (wraps around at 0, as Boost's does)
            }
        }
        return str;
    }

    // Boost: tags <(/?)(?:[^!?'"]|'[^']*?'|"[^"]*?")*?(/?)> and <![CDATA[…]]>, counted
    // until the opening tags are closed. The token is the text as written.
    bool html(Token& t) {
        std::size_t p = pos_;
        int depth = 0;
        do {
            if (p >= s_.size()) return fail(s_.size());
            if (s_[p] != '<') {
                ++p;
                continue;
            }
            if (s_.substr(p).starts_with("<![CDATA[")) {
                const auto close = s_.find("]]>", p + 9);
                if (close == kNone) return fail(p);
                p = close + 3;
                continue;
            }
            std::size_t q = p + 1;
            const bool closing = q < s_.size() && s_[q] == '/';
            if (closing) ++q;
            bool empty = false, matched = false;
            while (q < s_.size()) {
                const char c = s_[q];
                if (c == '>') {
                    matched = true;
                    ++q;
                    break;
                }
                if (c == '/' && q + 1 < s_.size() && s_[q + 1] == '>') {
                    matched = empty = true;
                    q += 2;
                    break;
                }
                if (c == '!' || c == '?') break;
                if (c == '\'' || c == '"') {
                    const auto close = s_.find(c, q + 1);
                    if (close == kNone) break;
                    q = close + 1;
                    continue;
                }
                ++q;
            }
            if (!matched) return fail(p);
            p = q;
            if (closing) {
                --depth;
            } else if (!empty) {
                ++depth;
            }
        } while (depth > 0);
        t.type = TokenType::kIdentifier;
        t.value = std::string(s_.substr(pos_, p - pos_));
        pos_ = t.end = p;
        return true;
    }

    // "a" + "b" + …: one identifier (Boost's get_token).
    bool join(Token& t) {
        while (true) {
            const std::size_t save = pos_;
            skip();
            if (pos_ >= s_.size() || s_[pos_] != '+') {
                pos_ = save;
                return true;
            }
            ++pos_;
            skip();
            Token next_token;
            next_token.begin = pos_;
            bool quoted = false;
            if (pos_ >= s_.size()) return fail(pos_);
            if (!next(next_token, quoted)) return false;
            if (!quoted) return fail(next_token.begin);
            t.value += next_token.value;
            t.end = next_token.end;
        }
    }

    std::string_view s_;
    std::size_t pos_ = 0;
    std::size_t error_ = kNone;
};

}  // namespace

Lexed lex(std::string_view text) { return Lexer(text).run(); }

std::vector<std::string> nodes_in_order(const std::vector<Token>& tokens) {
    std::vector<std::string> out;
    std::unordered_set<std::string> seen;  // membership only: the order is `out`'s
    std::size_t i = 0;
    while (i < tokens.size() && tokens[i].type != TokenType::kLeftBrace) ++i;  // the header
    int brackets = 0, parens = 0;
    for (++i; i < tokens.size(); ++i) {
        const TokenType type = tokens[i].type;
        if (type == TokenType::kLeftBracket) ++brackets;
        if (type == TokenType::kRightBracket) --brackets;
        if (type == TokenType::kLeftParen) ++parens;
        if (type == TokenType::kRightParen) --parens;
        if (type != TokenType::kIdentifier || brackets != 0 || parens != 0) continue;
        const TokenType prev = tokens[i - 1].type;
        if (prev == TokenType::kSubgraph || prev == TokenType::kEqual || prev == TokenType::kColon ||
            prev == TokenType::kAt) {
            continue;  // a subgraph's name, a graph attribute's value, a port
        }
        if (i + 1 < tokens.size() && tokens[i + 1].type == TokenType::kEqual) continue;  // graph attribute
        if (seen.insert(tokens[i].value).second) out.push_back(tokens[i].value);
    }
    return out;
}

std::size_t open_braces(const std::vector<Token>& tokens, std::size_t count) {
    std::size_t depth = 0;
    for (std::size_t i = 0; i < count && i < tokens.size(); ++i) {
        if (tokens[i].type == TokenType::kLeftBrace) ++depth;
        if (tokens[i].type == TokenType::kRightBrace && depth > 0) --depth;
    }
    return depth;
}

}  // namespace cl::sim::net::dot
