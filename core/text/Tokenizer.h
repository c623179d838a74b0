#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lede {

/// A word or punctuation token. Offsets are code points (`start`, `end`)
/// and UTF-16 units (`u16Start`, `u16End`) over the tokenised text.
struct Token {
    enum Flag : std::uint16_t {
        Word = 1 << 0,          // has a letter or digit
        Capitalized = 1 << 1,   // first letter is upper or title case
        AllUpper = 1 << 2,      // every letter upper case, at least two letters
        HasDigit = 1 << 3,
        SentenceStart = 1 << 4, // first token of a sentence
        SpaceBefore = 1 << 5,   // white space separates it from the previous token
        NewlineBefore = 1 << 6, // that white space holds a line break
        ParagraphStart = 1 << 7,// that white space holds a blank line
        Possessive = 1 << 8,    // the "'s" split off a word
    };
    std::uint32_t start = 0;
    std::uint32_t end = 0;
    std::uint32_t u16Start = 0;
    std::uint32_t u16End = 0;
    std::uint16_t flags = 0;

    bool has(Flag f) const { return (flags & f) != 0; }
};

/// Splits text into tokens with ICU's word break rules and marks sentence
/// starts with ICU's sentence rules (suppressing breaks after abbreviations
/// such as "Mr." and "U.S."). A trailing possessive "'s" or "’s" becomes a
/// token of its own, so "Microsoft’s" yields "Microsoft" and "’s".
///
/// One Tokenizer owns its ICU iterators; use one per thread.
class Tokenizer {
public:
    Tokenizer();
    ~Tokenizer();
    Tokenizer(const Tokenizer &) = delete;
    Tokenizer &operator=(const Tokenizer &) = delete;

    /// Tokenises UTF-16 text. `sentences` turns sentence detection on.
    std::vector<Token> tokenize(std::u16string_view text, bool sentences = true);

    /// The word boundaries of `text`, 0 and its size included, where ICU's
    /// word rules put them. Text of Latin letters, digits and common
    /// punctuation is segmented by Lede's own reading of those rules
    /// (latinWordBoundaries), several times faster; other text by ICU.
    std::vector<std::int32_t> wordBoundaries(std::u16string_view text);
    /// The same, always from ICU's iterator (tests compare the two).
    std::vector<std::int32_t> icuWordBoundaries(std::u16string_view text);

private:
    struct Iterators;
    std::unique_ptr<Iterators> m_it;
};

/// Word boundaries by the rules of UAX #29 for text whose characters all
/// lie in Latin, General Punctuation and Currency Symbols and have no
/// combining, format or joiner role. Returns false, leaving `out`
/// unspecified, for any other text.
bool latinWordBoundaries(std::u16string_view text, std::vector<std::int32_t> &out);

/// Lower-cases for matching: simple case folding, typographic apostrophes
/// and dashes folded to ASCII.
std::u16string foldForMatch(std::u16string_view text);

/// The folded form of every token of a text, in one buffer: folding once
/// serves both the gazetteer and the tagger's word lists.
class FoldedTokens {
public:
    FoldedTokens(std::u16string_view text, const std::vector<Token> &tokens);
    std::u16string_view operator[](std::size_t i) const
    {
        return std::u16string_view(m_arena).substr(m_offsets[i], m_offsets[i + 1] - m_offsets[i]);
    }
    std::size_t size() const { return m_offsets.size() - 1; }

private:
    std::u16string m_arena;
    std::vector<std::uint32_t> m_offsets;
};

} // namespace lede
