#include "core/text/Tokenizer.h"

#include "core/text/Text.h"

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utf16.h>

namespace lede {

struct Tokenizer::Iterators {
    UBreakIterator *word = nullptr;
    UBreakIterator *sentence = nullptr;

    ~Iterators()
    {
        if (word)
            ubrk_close(word);
        if (sentence)
            ubrk_close(sentence);
    }
};

Tokenizer::Tokenizer()
    : m_it(std::make_unique<Iterators>())
{
    UErrorCode status = U_ZERO_ERROR;
    m_it->word = ubrk_open(UBRK_WORD, "en", nullptr, 0, &status);
    if (U_FAILURE(status))
        m_it->word = nullptr;
    // "ss=standard" keeps sentences whole across "Mr.", "U.S." and the
    // other abbreviations in ICU's English list.
    status = U_ZERO_ERROR;
    m_it->sentence = ubrk_open(UBRK_SENTENCE, "en@ss=standard", nullptr, 0, &status);
    if (U_FAILURE(status)) {
        status = U_ZERO_ERROR;
        m_it->sentence = ubrk_open(UBRK_SENTENCE, "en", nullptr, 0, &status);
        if (U_FAILURE(status))
            m_it->sentence = nullptr;
    }
}

Tokenizer::~Tokenizer() = default;

namespace {

bool isApostrophe(char16_t c) { return c == u'\'' || c == u'\u2019'; }

std::uint16_t classify(std::u16string_view text, std::size_t from, std::size_t to)
{
    std::uint16_t flags = 0;
    int letters = 0;
    int upper = 0;
    bool first = true;
    for (std::size_t i = from; i < to;) {
        UChar32 c;
        U16_NEXT(text.data(), i, to, c);
        if (c < 0x80) {
            // ASCII without ICU's property look-ups: most news text.
            const bool lowerAscii = c >= 'a' && c <= 'z';
            const bool upperAscii = c >= 'A' && c <= 'Z';
            if (lowerAscii || upperAscii) {
                ++letters;
                upper += upperAscii;
                if (first && upperAscii)
                    flags |= Token::Capitalized;
                first = false;
                flags |= Token::Word;
            } else if (c >= '0' && c <= '9') {
                flags |= Token::Word | Token::HasDigit;
                first = false;
            }
            continue;
        }
        if (u_isalpha(c)) {
            ++letters;
            const bool isUpper = u_isupper(c) || u_istitle(c);
            upper += isUpper;
            if (first && isUpper)
                flags |= Token::Capitalized;
            first = false;
            flags |= Token::Word;
        } else if (u_isdigit(c)) {
            flags |= Token::Word | Token::HasDigit;
            first = false;
        }
    }
    if (letters >= 2 && upper == letters)
        flags |= Token::AllUpper;
    return flags;
}

// ICU's English exceptions still end a sentence at "U.S. National" or
// "Dr. Jones"; a full stop right after a title, an initial or a dotted
// abbreviation does not end one here.
bool followsAbbreviation(std::u16string_view text, const std::vector<Token> &tokens, std::size_t i)
{
    if (i < 2 || tokens[i].has(Token::ParagraphStart))
        return false;
    const Token &dot = tokens[i - 1];
    const Token &word = tokens[i - 2];
    if (dot.u16End - dot.u16Start != 1 || text[dot.u16Start] != u'.' || dot.has(Token::SpaceBefore))
        return false;
    const std::u16string_view w = text.substr(word.u16Start, word.u16End - word.u16Start);
    if (w.size() == 1 && word.has(Token::Capitalized))
        return true; // an initial: "Edward J. Snowden"
    if (w.find(u'.') != std::u16string_view::npos)
        return true; // "U.S.", "N.S.A.", "p.m."
    static constexpr std::u16string_view kAbbreviations[] = {
        u"Mr", u"Mrs", u"Ms", u"Dr", u"Prof", u"St", u"Gen", u"Gov", u"Sen", u"Rep", u"Lt", u"Col", u"Capt",
        u"Sgt", u"Jr", u"Sr", u"Inc", u"Corp", u"Co", u"Ltd", u"No", u"Adm", u"Cmdr", u"Maj", u"Mt", u"Ft",
        u"Jan", u"Feb", u"Mar", u"Apr", u"Aug", u"Sept", u"Sep", u"Oct", u"Nov", u"Dec", u"vs", u"Rev", u"Hon",
        u"Pres", u"Supt", u"Det", u"Insp", u"Amb", u"Gens", u"Reps", u"Sens", u"Messrs"};
    for (const std::u16string_view a : kAbbreviations)
        if (w == a)
            return true;
    return false;
}

// Word break classes of UAX #29 that latinWordBoundaries handles.
enum class Wb : std::uint8_t { Other, ALetter, Numeric, MidLetter, MidNum, MidNumLetQ, ExtendNumLet, Cr, Lf, Newline, Space, Unsupported };

Wb wordBreakClass(char16_t c)
{
    const bool latin = c < 0x0250;
    const bool punctuation = (c >= 0x2000 && c <= 0x206F) || (c >= 0x20A0 && c <= 0x20CF);
    if (!latin && !punctuation)
        return Wb::Unsupported;
    // ICU's rules (CLDR's root tailoring) differ from UAX #29 here: a colon
    // does not join letters ("a:b" is three words), and "@" is a letter.
    if (c == u':')
        return Wb::Other;
    if (c == u'@')
        return Wb::ALetter;
    switch (u_getIntPropertyValue(c, UCHAR_WORD_BREAK)) {
    case U_WB_OTHER:
    case U_WB_DOUBLE_QUOTE: // joins only Hebrew letters, which are not Latin
        return Wb::Other;
    case U_WB_ALETTER:
        return Wb::ALetter;
    case U_WB_NUMERIC:
        return Wb::Numeric;
    case U_WB_MIDLETTER:
        return Wb::MidLetter;
    case U_WB_MIDNUM:
        return Wb::MidNum;
    case U_WB_MIDNUMLET:
    case U_WB_SINGLE_QUOTE:
        return Wb::MidNumLetQ;
    case U_WB_EXTENDNUMLET:
        return Wb::ExtendNumLet;
    case U_WB_CR:
        return Wb::Cr;
    case U_WB_LF:
        return Wb::Lf;
    case U_WB_NEWLINE:
        return Wb::Newline;
    case U_WB_WSEGSPACE:
        return Wb::Space;
    default:
        return Wb::Unsupported; // Extend, Format, ZWJ and the rest
    }
}

// The class of every character below U+2100, looked up once.
const std::vector<Wb> &wordBreakTable()
{
    static const std::vector<Wb> table = [] {
        std::vector<Wb> t(0x2100);
        for (std::size_t c = 0; c < t.size(); ++c)
            t[c] = wordBreakClass(static_cast<char16_t>(c));
        return t;
    }();
    return table;
}

} // namespace

bool latinWordBoundaries(std::u16string_view text, std::vector<std::int32_t> &out)
{
    const std::vector<Wb> &table = wordBreakTable();
    const std::size_t n = text.size();
    // The classes with two Others of padding on either side, so that the
    // rules look two characters back and one ahead without bounds checks.
    thread_local std::vector<Wb> padded;
    padded.assign(n + 4, Wb::Other);
    Wb *cls = padded.data() + 2;
    for (std::size_t i = 0; i < n; ++i) {
        const char16_t c = text[i];
        cls[i] = c < table.size() ? table[c] : Wb::Unsupported;
        if (cls[i] == Wb::Unsupported)
            return false;
    }
    auto letter = [](Wb w) { return w == Wb::ALetter; };
    auto midLetterish = [](Wb w) { return w == Wb::MidLetter || w == Wb::MidNumLetQ; };
    auto midNumish = [](Wb w) { return w == Wb::MidNum || w == Wb::MidNumLetQ; };
    auto lineBreak = [](Wb w) { return w == Wb::Cr || w == Wb::Lf || w == Wb::Newline; };
    // Whether the rules keep text[i - 1] and text[i] together.
    auto joined = [&](std::size_t i) {
        const Wb *at = cls + i; // at[-2] and at[1] fall in the padding at the ends
        const Wb a = at[-1], b = at[0];
        if (letter(a) && letter(b))
            return true;                                  // WB5, the common case first
        if (a == Wb::Cr && b == Wb::Lf)
            return true;                                  // WB3
        if (lineBreak(a) || lineBreak(b))
            return false;                                 // WB3a, WB3b
        if (a == Wb::Space && b == Wb::Space)
            return true;                                  // WB3d
        if (letter(a) && midLetterish(b) && letter(at[1]))
            return true;                                  // WB6
        if (letter(at[-2]) && midLetterish(a) && letter(b))
            return true;                                  // WB7
        if ((a == Wb::Numeric || letter(a)) && (b == Wb::Numeric || letter(b)))
            return true;                                  // WB8, WB9, WB10
        if (at[-2] == Wb::Numeric && midNumish(a) && b == Wb::Numeric)
            return true;                                  // WB11
        if (a == Wb::Numeric && midNumish(b) && at[1] == Wb::Numeric)
            return true;                                  // WB12
        if ((letter(a) || a == Wb::Numeric || a == Wb::ExtendNumLet) && b == Wb::ExtendNumLet)
            return true;                                  // WB13a
        if (a == Wb::ExtendNumLet && (letter(b) || b == Wb::Numeric))
            return true;                                  // WB13b
        return false;                                     // WB999
    };
    out.clear();
    out.push_back(0);
    for (std::size_t i = 1; i < n; ++i)
        if (!joined(i))
            out.push_back(static_cast<std::int32_t>(i));
    if (n > 0)
        out.push_back(static_cast<std::int32_t>(n));
    return true;
}

std::vector<std::int32_t> Tokenizer::icuWordBoundaries(std::u16string_view text)
{
    std::vector<std::int32_t> out;
    UErrorCode status = U_ZERO_ERROR;
    if (!m_it->word)
        return out;
    ubrk_setText(m_it->word, reinterpret_cast<const UChar *>(text.data()), static_cast<std::int32_t>(text.size()), &status);
    if (U_FAILURE(status))
        return out;
    for (std::int32_t b = ubrk_first(m_it->word); b != UBRK_DONE; b = ubrk_next(m_it->word))
        out.push_back(b);
    return out;
}

std::vector<std::int32_t> Tokenizer::wordBoundaries(std::u16string_view text)
{
    std::vector<std::int32_t> out;
    out.reserve(text.size() / 3 + 2);
    if (latinWordBoundaries(text, out))
        return out;
    return icuWordBoundaries(text);
}

std::vector<Token> Tokenizer::tokenize(std::u16string_view text, bool sentences)
{
    std::vector<Token> tokens;
    if (text.empty() || !m_it->word)
        return tokens;
    tokens.reserve(text.size() / 5);

    const std::vector<std::int32_t> boundaries = wordBoundaries(text);
    if (boundaries.size() < 2)
        return tokens;

    std::uint32_t cp = 0;          // code points before `prev`
    std::uint16_t pending = 0;     // flags from the white space before the next token
    int newlines = 0;
    for (std::size_t bi = 1; bi < boundaries.size(); ++bi) {
        const auto from = static_cast<std::size_t>(boundaries[bi - 1]);
        const auto to = static_cast<std::size_t>(boundaries[bi]);
        std::uint32_t cps = 0;
        for (std::size_t i = from; i < to; ++i)
            cps += !U16_IS_TRAIL(text[i]);

        UChar32 first;
        std::size_t k = from;
        U16_NEXT(text.data(), k, to, first);
        const bool space = first < 0x80 ? (first == ' ' || (first >= '\t' && first <= '\r')) : u_isUWhiteSpace(first);
        if (space) {
            pending |= Token::SpaceBefore;
            for (std::size_t i = from; i < to; ++i)
                if (text[i] == u'\n' || text[i] == u'\u2029')
                    ++newlines;
            cp += cps;
            continue;
        }
        if (newlines > 0)
            pending |= Token::NewlineBefore;
        if (newlines > 1 || tokens.empty())
            pending |= Token::ParagraphStart;
        newlines = 0;

        Token t;
        t.start = cp;
        t.end = cp + cps;
        t.u16Start = static_cast<std::uint32_t>(from);
        t.u16End = static_cast<std::uint32_t>(to);
        t.flags = classify(text, from, to) | pending;
        pending = 0;
        cp += cps;

        // "Microsoft’s" → "Microsoft" + "’s": names are tagged without the
        // possessive, so the matcher must see them apart.
        if (to - from > 2 && isApostrophe(text[to - 2]) && (text[to - 1] == u's' || text[to - 1] == u'S')
            && u_isalnum(text[to - 3])) {
            Token poss;
            poss.start = t.end - 2;
            poss.end = t.end;
            poss.u16Start = t.u16End - 2;
            poss.u16End = t.u16End;
            poss.flags = Token::Possessive | Token::Word;
            t.end -= 2;
            t.u16End -= 2;
            t.flags = (t.flags & (Token::SpaceBefore | Token::NewlineBefore | Token::ParagraphStart))
                | classify(text, t.u16Start, t.u16End);
            tokens.push_back(t);
            tokens.push_back(poss);
            continue;
        }
        tokens.push_back(t);
    }

    if (tokens.empty())
        return tokens;
    tokens.front().flags |= Token::SentenceStart;
    for (Token &t : tokens)
        if (t.has(Token::ParagraphStart))
            t.flags |= Token::SentenceStart;
    if (!sentences || !m_it->sentence)
        return tokens;

    // Articles arrive hard-wrapped, and ICU ends a sentence at every line
    // break. A break after a single line feed counts only when the line
    // before ends like a sentence; blank lines were marked above.
    UErrorCode status = U_ZERO_ERROR;
    ubrk_setText(m_it->sentence, reinterpret_cast<const UChar *>(text.data()), static_cast<std::int32_t>(text.size()), &status);
    if (U_FAILURE(status))
        return tokens;
    std::size_t ti = 0;
    for (std::int32_t b = ubrk_first(m_it->sentence); b != UBRK_DONE; b = ubrk_next(m_it->sentence)) {
        while (ti < tokens.size() && tokens[ti].u16Start < static_cast<std::uint32_t>(b))
            ++ti;
        if (ti >= tokens.size())
            break;
        if (tokens[ti].has(Token::NewlineBefore) && !tokens[ti].has(Token::ParagraphStart) && ti > 0) {
            const std::size_t end = tokens[ti - 1].u16End;
            const char16_t last = end > 0 ? text[end - 1] : u'.';
            const bool sentenceEnd = last == u'.' || last == u'!' || last == u'?' || last == u'"' || last == u'\u201d'
                || last == u':' || last == u')';
            if (!sentenceEnd)
                continue;
        }
        if (!followsAbbreviation(text, tokens, ti))
            tokens[ti].flags |= Token::SentenceStart;
    }
    return tokens;
}

FoldedTokens::FoldedTokens(std::u16string_view text, const std::vector<Token> &tokens)
{
    m_arena.reserve(text.size());
    m_offsets.reserve(tokens.size() + 1);
    m_offsets.push_back(0);
    for (const Token &t : tokens) {
        const std::u16string_view surface = text.substr(t.u16Start, t.u16End - t.u16Start);
        bool ascii = true;
        for (const char16_t c : surface)
            if (c >= 0x80) {
                ascii = false;
                break;
            }
        if (ascii) {
            const std::size_t at = m_arena.size();
            m_arena.append(surface);
            for (std::size_t k = at; k < m_arena.size(); ++k)
                if (m_arena[k] >= u'A' && m_arena[k] <= u'Z')
                    m_arena[k] = static_cast<char16_t>(m_arena[k] + 32);
        } else {
            m_arena += foldForMatch(surface);
        }
        m_offsets.push_back(static_cast<std::uint32_t>(m_arena.size()));
    }
}

std::u16string foldForMatch(std::u16string_view text)
{
    std::u16string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const char16_t u = text[i];
        if (u < 0x80) {
            out.push_back(u >= u'A' && u <= u'Z' ? static_cast<char16_t>(u + 32) : u);
            ++i;
            continue;
        }
        UChar32 c;
        U16_NEXT(text.data(), i, text.size(), c);
        if (c == 0x2019 || c == 0x2018 || c == 0x02BC)
            c = '\'';
        else if (c == 0x2010 || c == 0x2011 || c == 0x2013 || c == 0x2014)
            c = '-';
        else
            c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
        lede::text::appendUtf16(out, static_cast<char32_t>(c));
    }
    return out;
}

} // namespace lede
