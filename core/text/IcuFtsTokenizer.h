#pragma once

#include "core/base/Result.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct fts5_api;

namespace lede {

/// A word cut from a text for full-text search: its folded form and where
/// it lies in the text, as byte offsets into the UTF-8 that was tokenised.
struct SearchToken {
    std::string term;
    std::size_t start = 0;
    std::size_t end = 0;
};

/// Splits text into search terms: the words of ICU's word break rules,
/// with Chinese, Japanese, Thai, Lao, Khmer and Burmese cut into words by
/// ICU's dictionaries, each word folded by foldSearchTerm(). Punctuation,
/// symbols and white space are dropped.
///
/// The index form of a text (SearchIndexForm.h), a query's words and the
/// highlighter all come from this class, so that a query term matches in
/// the highlighted text exactly where the index matched it. It is also
/// the FTS5 tokenizer "lede", which the index of stores before schema 10
/// used; it is registered so that they can be upgraded.
/// One instance owns an ICU break iterator; use it from one thread at a
/// time.
class IcuFtsTokenizer {
public:
    /// Receives one term with its byte offsets; returns false to stop.
    using Sink = bool (*)(void *context, std::string_view term, std::size_t start, std::size_t end);

    IcuFtsTokenizer();
    ~IcuFtsTokenizer();
    IcuFtsTokenizer(const IcuFtsTokenizer &) = delete;
    IcuFtsTokenizer &operator=(const IcuFtsTokenizer &) = delete;

    /// False when ICU could not open its word break iterator (missing
    /// data); such a tokenizer produces no terms.
    bool valid() const;

    /// Feeds the terms of `utf8` to `sink` in order. Ill-formed UTF-8 reads
    /// as U+FFFD. Returns false when the sink stopped early or ICU could not
    /// open a break iterator (then no term is produced).
    bool tokenize(std::string_view utf8, Sink sink, void *context);

    /// Convenience form collecting every term.
    std::vector<SearchToken> tokenize(std::string_view utf8);

    /// Registers on `db` the FTS5 tokenizer "lede" and the SQL function
    /// lede_fold(text) (foldName()), which Lede's writes and the upgrades
    /// of older stores use; no schema object of the latest schema does.
    /// Fails when the SQLite library lacks FTS5.
    static Status registerWith(sqlite3 *db);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// The FTS5 API of connection `db`, or null when its SQLite has no FTS5.
fts5_api *fts5Of(sqlite3 *db);

/// Folds one word for matching: NFKC, full case folding, and diacritics
/// removed from Latin, Greek, Cyrillic, Arabic and Hebrew letters
/// ("Telefónica" → "telefonica", "ＦＯＯ" → "foo", "Straße" → "strasse").
/// Marks that are part of the spelling in other scripts (kana voicing,
/// Indic and Thai vowel signs) stay. Input must be valid UTF-8.
std::string foldSearchTerm(std::string_view utf8);

/// Folds a whole name for comparison: foldSearchTerm() applied to the
/// text, with runs of white space made one space and both ends trimmed.
/// Entity names and aliases are looked up by this key; SQLite sees it as
/// the deterministic function lede_fold(text).
std::string foldName(std::string_view utf8);

} // namespace lede
