#pragma once

#include "core/store/Domain.h"
#include "core/base/Result.h"

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace lede {

/// One node of a parsed search query: a plain value tree owned by its
/// parent. Words and phrases keep the text as the analyst typed it;
/// IcuFtsTokenizer turns it into terms when the query runs.
struct QueryNode {
    enum class Kind {
        And,    // every child matches; two or more children
        Or,     // any child matches; two or more children
        Not,    // the one child does not match
        Word,   // one word as typed; may still hold several terms ("e-mail", "東京都")
        Phrase, // quoted words, matched as consecutive terms
        Filter, // type:NAME or entity:NAME
    };
    enum class Field { Type, Entity };

    Kind kind = Kind::Word;
    /// Word and Phrase: the text (without quotes or '*'); Filter: the value.
    std::string text;
    /// Word and Phrase: the last term matches any term it begins.
    bool prefix = false;
    /// Filter only.
    Field field = Field::Type;
    std::vector<QueryNode> children;

    bool isText() const { return kind == Kind::Word || kind == Kind::Phrase; }
};

/// A search query as Lede read it.
///
/// Grammar (operators in capitals only; lower-case "and", "or", "not" are
/// words):
///
///     query   := or
///     or      := and ("OR" and)*
///     and     := unary (["AND"] unary)*       juxtaposition means AND
///     unary   := "NOT" unary | primary
///     primary := "(" or ")" | word | word"*" | '"' text '"' ['*'] | filter
///     filter  := ("type" | "entity" | "status" | "origin") ":" (word | '"' text '"')
///
/// `type:` and `entity:` select documents by their annotations and mix
/// freely with words under AND, OR, NOT. `status:` and `origin:` (comma
/// separated values; `all`) narrow which annotations count for the whole
/// query, so they may stand only at its top level; on their own they
/// match documents having any such annotation. Without `status:`,
/// rejected annotations never count.
///
/// Reading is forgiving where the intent is plain: an unclosed quote runs
/// to the end, unbalanced parentheses are closed or dropped, a dangling
/// operator is dropped, text without letters or digits is ignored, a
/// one-letter prefix ("s*") is read as the word (one ideograph, kana or
/// hangul syllable is a prefix); each repair is described in `notes`.
/// Typographic quotes count as quotes.
struct SearchQuery {
    /// The condition; absent when the query is only status:/origin:.
    std::optional<QueryNode> root;
    /// From status:, or absent: suggested and accepted.
    std::optional<std::set<AnnotationStatus>> statuses;
    /// From origin:, or absent: every origin.
    std::optional<std::set<Origin>> origins;
    /// What the reader repaired or ignored, one sentence each.
    std::vector<std::string> notes;

    /// ANDs a type: or entity: filter onto the query (the CLI's --type and
    /// --entity).
    void addFilter(QueryNode::Field field, std::string value);

    /// The query written back in canonical form, fully parenthesised, for
    /// messages and tests: `(ransom* OR "state sponsored") AND type:ATTACK`.
    std::string toString() const;
};

/// The most a query may hold; longer or deeper input is refused with a
/// message rather than read.
constexpr std::size_t kMaxQueryBytes = 4096;
constexpr std::size_t kMaxQueryTerms = 64;
constexpr std::size_t kMaxQueryDepth = 32;

/// Reads a query. Fails, with one sentence for the analyst, on input
/// that is not valid UTF-8, empty, too long or too deep, a filter without
/// a value, an unknown status or origin, status:/origin: inside OR or NOT,
/// or nothing left to search for once repairs are made. Never throws.
Result<SearchQuery> parseQuery(std::string_view text);

} // namespace lede
