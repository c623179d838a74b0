#pragma once

#include "core/base/Result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;

namespace lede {

/// The tokenizer of the full-text index: SQLite's built-in unicode61, so
/// that any SQLite (the sqlite3 shell, DB Browser, Python) can query the
/// index and check it. Marks count as letters, so that Indic and Thai
/// vowel signs stay inside their words.
inline constexpr std::string_view kSearchTokenizer = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'";

/// Lede's search terms (IcuFtsTokenizer's words, folded by
/// foldSearchTerm) joined by single spaces. unicode61 reads this text
/// into exactly those terms, split further where a term holds
/// punctuation ("u.s" → "u" "s"); a query's words are sent to FTS5 in
/// this form, so that "東京都" and "Straße" match as the index has them.
std::string searchIndexForm(std::string_view utf8);

/// Decides, per text, what the full-text index reads. Where unicode61
/// reads the text itself into the same tokens as its index form (all of
/// English and most Latin-script news), the text is indexed as it is and
/// nothing more is stored. Elsewhere (Chinese, Japanese and Thai, which
/// have no spaces for unicode61 to split at; "ß", ligatures and
/// full-width letters, which unicode61 does not fold as Lede does) the
/// store keeps the index form beside the document, and the index reads
/// that.
///
/// One instance holds a unicode61 tokenizer of the connection it was made
/// for; use it from one thread at a time.
class SearchIndexForm {
public:
    /// Fails when the connection's SQLite has no FTS5 or no unicode61.
    static Result<std::unique_ptr<SearchIndexForm>> open(sqlite3 *db);
    ~SearchIndexForm();
    SearchIndexForm(const SearchIndexForm &) = delete;
    SearchIndexForm &operator=(const SearchIndexForm &) = delete;

    /// The text the index must read instead of `utf8`, or nothing when
    /// `utf8` itself gives the same tokens. Input must be valid UTF-8.
    std::optional<std::string> of(std::string_view utf8);

    /// As of(), comparing tokens even for texts that plainEverywhere()
    /// clears (tests check that test with this).
    std::optional<std::string> compared(std::string_view utf8);

    /// The quick test of() starts with: true when every character of
    /// `utf8` is one that unicode61 and Lede's terms treat alike wherever
    /// it stands (ASCII, most Latin letters and Latin-1 signs, and the
    /// spaces and punctuation of General Punctuation), so that no tokens
    /// need comparing.
    static bool plainEverywhere(std::string_view utf8);

    /// Registers on `db` the SQL function lede_index_form(text): of() as
    /// SQL, NULL where the text itself is read. Schema upgrades call it;
    /// no schema object does.
    static Status registerWith(sqlite3 *db);

private:
    struct Impl;
    explicit SearchIndexForm(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace lede
