#pragma once

#include "core/search/SearchQuery.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lede {

class IcuFtsTokenizer;

/// A stretch of text in code points, start inclusive, end exclusive.
struct MatchSpan {
    std::int64_t start = 0;
    std::int64_t end = 0;

    bool operator==(const MatchSpan &) const = default;
};

/// A short excerpt of a document around its matches.
struct Snippet {
    /// The excerpt; runs of white space (line breaks too) are one space,
    /// and "…" stands where the document goes on before or after it.
    std::string text;
    /// Where the excerpt lies in the document, in code points.
    std::int64_t start = 0;
    std::int64_t end = 0;
    /// The matches inside the excerpt, in code points of `text`.
    std::vector<MatchSpan> matches;
};

/// Finds where a query's words and phrases occur in a text: the same terms
/// at the same places the full-text index matched, since both cut the text
/// with IcuFtsTokenizer. Filters play no part here (Search adds the
/// annotations they matched). Use one per thread.
class SearchHighlighter {
public:
    /// Takes the words and phrases of `query` that are not under a NOT.
    explicit SearchHighlighter(const SearchQuery &query);
    ~SearchHighlighter();
    SearchHighlighter(const SearchHighlighter &) = delete;
    SearchHighlighter &operator=(const SearchHighlighter &) = delete;

    /// True when the query has no word or phrase to find.
    bool empty() const { return m_terms.empty(); }

    /// Spans of `utf8` (code points) where a word or phrase matches,
    /// ascending, overlapping ones merged; at most `maxMatches` of them.
    std::vector<MatchSpan> find(std::string_view utf8, std::size_t maxMatches = std::numeric_limits<std::size_t>::max());

    /// About `length` code points of `utf8` around the densest cluster of
    /// `focus` (code points, ascending), cut at white space where one is
    /// near, the start of the text when `focus` is empty; `matches` (code
    /// points, ascending, not overlapping) are mapped into the excerpt.
    static Snippet snippet(std::string_view utf8, const std::vector<MatchSpan> &focus,
                           const std::vector<MatchSpan> &matches, std::size_t length);
    static Snippet snippet(std::string_view utf8, const std::vector<MatchSpan> &matches, std::size_t length)
    {
        return snippet(utf8, matches, matches, length);
    }

    /// Sorts spans and merges those that overlap.
    static std::vector<MatchSpan> merge(std::vector<MatchSpan> spans);

    /// A word or phrase of the query, as folded terms.
    struct Term {
        std::vector<std::string> words;
        bool prefix = false; // the last word matches any term it begins
    };

private:
    void addTerms(const QueryNode &node, bool negated);

    std::unique_ptr<IcuFtsTokenizer> m_tokenizer;
    std::vector<Term> m_terms;
    std::size_t m_longest = 1; // words in the longest term
    // Terms by their last word; those ending in a prefix are tried at
    // every token.
    std::unordered_map<std::string, std::vector<std::size_t>> m_byLastWord;
    std::vector<std::size_t> m_prefixLast;
};

} // namespace lede
