// A lexer for Graphviz DOT that gives every token its place in the text, for what
// Boost.Graph's read_graphviz (which import.cpp parses DOT with) does not report: where an
// error is, and in which order the file declares its nodes. Internal to sim/net.
//
// It reproduces the tokenizer of Boost.Graph's read_graphviz_new.cpp (Boost 1.74):
//   - skipped between tokens: whitespace, `// …` to the end of the line, `/* … */`, a line
//     starting with `#`, a backslash-newline;
//   - keywords strict, graph, digraph, node, edge, subgraph, in any case;
//   - identifiers [A-Za-z_][A-Za-z0-9_]*; numbers -?(.digits | digits[.digits]);
//     HTML strings <…> (nested tags, kept whole with their angle brackets);
//   - quoted strings, their quotes removed, \" turned into " and backslash-newline
//     removed (nothing else unescaped), and "a" + "b" joined into one identifier;
//   - punctuation [ ] { } ; = , : + ( ) @ -- ->.
// Any other character is a lexical error; so are an unclosed HTML string and `+` not
// followed by a quoted string. Bytes >= 0x80 are never part of an unquoted identifier
// (Boost's [[:alpha:]] in the C locale).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cl::sim::net::dot {

enum class TokenType : unsigned char {
    kStrict,
    kGraph,
    kDigraph,
    kNode,
    kEdge,
    kSubgraph,
    kLeftBrace,
    kRightBrace,
    kSemicolon,
    kEqual,
    kLeftBracket,
    kRightBracket,
    kComma,
    kColon,
    kPlus,    // only between quoted strings (joined) or a syntax error
    kEdgeOp,  // -- or ->
    kLeftParen,
    kRightParen,
    kAt,
    kIdentifier,  // name, number, quoted string (joined) or HTML string
};

struct Token {
    TokenType type = TokenType::kIdentifier;
    std::size_t begin = 0;  // byte offsets into the text: [begin, end)
    std::size_t end = 0;
    std::string value;  // identifiers: the normalized value, as Boost's parser sees it
};

struct Lexed {
    std::vector<Token> tokens;                   // up to the first lexical error
    std::size_t error = std::string_view::npos;  // offset of the first lexical error, if any
};

Lexed lex(std::string_view text);

// The node names of a DOT text in the order the text first mentions them (as an endpoint
// of an edge or a node statement; not the graph's or a subgraph's name, attribute names
// and values, or ports). REQUIRES nothing, but is meaningful only for text Boost parsed.
std::vector<std::string> nodes_in_order(const std::vector<Token>& tokens);

// Closing braces for the braces left open at the end of `tokens` (what makes a prefix of
// a graph a whole graph again).
std::size_t open_braces(const std::vector<Token>& tokens, std::size_t count);

}  // namespace cl::sim::net::dot
