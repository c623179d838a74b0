#include "core/text/IcuFtsTokenizer.h"

#include "core/text/Text.h"

#include <sqlite3.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>
#include <unicode/utf16.h>

#include <new>

namespace lede {

namespace {

// Runs one normaliser over UTF-16, growing the buffer once when ICU asks.
bool normalizeWith(const UNormalizer2 *n, const std::u16string &in, std::u16string &out)
{
    UErrorCode status = U_ZERO_ERROR;
    out.resize(in.size() + in.size() / 2 + 8);
    std::int32_t len = unorm2_normalize(n, reinterpret_cast<const UChar *>(in.data()), static_cast<std::int32_t>(in.size()),
                                        reinterpret_cast<UChar *>(out.data()), static_cast<std::int32_t>(out.size()), &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
        status = U_ZERO_ERROR;
        out.resize(static_cast<std::size_t>(len));
        len = unorm2_normalize(n, reinterpret_cast<const UChar *>(in.data()), static_cast<std::int32_t>(in.size()),
                               reinterpret_cast<UChar *>(out.data()), len, &status);
    }
    if (U_FAILURE(status))
        return false;
    out.resize(static_cast<std::size_t>(len));
    return true;
}

// Scripts whose combining marks are accents a searcher leaves out: "é" is
// typed as "e", Arabic is written without its short-vowel marks. In other
// scripts a nonspacing mark is part of the letter (Devanagari vowel signs,
// Thai vowels and tones, the kana voicing mark) and stays.
bool stripsMarks(UScriptCode script)
{
    return script == USCRIPT_LATIN || script == USCRIPT_GREEK || script == USCRIPT_CYRILLIC || script == USCRIPT_ARABIC
        || script == USCRIPT_HEBREW;
}

std::string foldUnicode(std::string_view utf8)
{
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfkcCf = unorm2_getNFKCCasefoldInstance(&status);
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&status);
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&status);
    if (U_FAILURE(status))
        return std::string(utf8);

    // NFKC_Casefold does compatibility mapping and full case folding in one
    // pass; NFD then exposes the accents, which are dropped, and NFC puts
    // back together what remains.
    std::u16string a = text::toUtf16(utf8);
    std::u16string b;
    if (!normalizeWith(nfkcCf, a, b) || !normalizeWith(nfd, b, a))
        return std::string(utf8);
    b.clear();
    bool strip = false;
    for (std::size_t i = 0; i < a.size();) {
        const std::size_t from = i;
        UChar32 c;
        U16_NEXT(a.data(), i, a.size(), c);
        if (u_charType(c) == U_NON_SPACING_MARK) {
            if (strip)
                continue;
        } else {
            UErrorCode err = U_ZERO_ERROR;
            strip = stripsMarks(uscript_getScript(c, &err));
        }
        b.append(a, from, i - from);
    }
    if (!normalizeWith(nfc, b, a))
        return text::toUtf8(b);
    return text::toUtf8(a);
}

// Length of the apostrophe at byte `i` of `text`, or 0: ' U+2018 U+2019
// U+02BC U+FF07, the ones ICU's word rules keep inside words.
std::size_t apostropheAt(std::string_view text, std::size_t i, std::size_t end)
{
    const auto b = [&](std::size_t k) { return i + k < end ? static_cast<unsigned char>(text[i + k]) : 0u; };
    if (b(0) == 0x27)
        return 1;
    if (b(0) == 0xE2 && b(1) == 0x80 && (b(2) == 0x98 || b(2) == 0x99))
        return 3;
    if (b(0) == 0xCA && b(1) == 0xBC)
        return 2;
    if (b(0) == 0xEF && b(1) == 0xBC && b(2) == 0x87)
        return 3;
    return 0;
}

} // namespace

std::string foldSearchTerm(std::string_view utf8)
{
    std::string out(utf8);
    for (char &c : out) {
        if (static_cast<unsigned char>(c) >= 0x80)
            return foldUnicode(utf8);
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c + ('a' - 'A'));
    }
    return out;
}

std::string foldName(std::string_view utf8)
{
    const std::string folded = foldSearchTerm(utf8);
    // Folding maps every kind of space to U+0020 (NFKC) except line breaks
    // and tabs, which are ASCII; collapse them all to one space.
    std::string out;
    out.reserve(folded.size());
    bool space = false;
    for (const char c : folded) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            space = !out.empty();
            continue;
        }
        if (space)
            out.push_back(' ');
        space = false;
        out.push_back(c);
    }
    return out;
}

struct IcuFtsTokenizer::Impl {
    UBreakIterator *words = nullptr;
    UText *text = nullptr;
    std::string term;

    ~Impl()
    {
        if (words)
            ubrk_close(words);
        if (text)
            utext_close(text);
    }
};

IcuFtsTokenizer::IcuFtsTokenizer()
    : m_impl(std::make_unique<Impl>())
{
    // The root locale: the dictionaries for scripts written without spaces
    // apply whatever the locale, and the article's language is unknown.
    UErrorCode status = U_ZERO_ERROR;
    m_impl->words = ubrk_open(UBRK_WORD, "", nullptr, 0, &status);
    if (U_FAILURE(status))
        m_impl->words = nullptr;
}

IcuFtsTokenizer::~IcuFtsTokenizer() = default;

bool IcuFtsTokenizer::valid() const { return m_impl->words != nullptr; }

bool IcuFtsTokenizer::tokenize(std::string_view utf8, Sink sink, void *context)
{
    if (!m_impl->words)
        return false;
    if (utf8.empty())
        return true;
    // UText reads the UTF-8 in place, so boundaries come back as byte
    // offsets, which is what FTS5 and the highlighter want.
    UErrorCode status = U_ZERO_ERROR;
    m_impl->text = utext_openUTF8(m_impl->text, utf8.data(), static_cast<std::int64_t>(utf8.size()), &status);
    if (U_FAILURE(status))
        return false;
    ubrk_setUText(m_impl->words, m_impl->text, &status);
    if (U_FAILURE(status))
        return false;

    std::string &term = m_impl->term;
    auto emit = [&](std::size_t from, std::size_t to) {
        const std::string_view word = utf8.substr(from, to - from);
        term.assign(word);
        for (char &c : term) {
            if (static_cast<unsigned char>(c) >= 0x80) {
                term = foldUnicode(word);
                break;
            }
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c + ('a' - 'A'));
        }
        // A word made only of characters that folding removes (default
        // ignorables) is no term at all.
        return term.empty() || sink(context, term, from, to);
    };
    std::int32_t prev = ubrk_first(m_impl->words);
    for (std::int32_t next = ubrk_next(m_impl->words); next != UBRK_DONE; prev = next, next = ubrk_next(m_impl->words)) {
        // The rule status tells words (numbers, letters, kana, ideographs)
        // from the spaces, punctuation and symbols between them.
        if (ubrk_getRuleStatus(m_impl->words) < UBRK_WORD_NONE_LIMIT)
            continue;
        // ICU keeps "Microsoft's", "don't" and "l'attaque" whole; a searcher
        // types "microsoft" and "attaque", so apostrophes split terms here,
        // as they do in SQLite's own tokenizers.
        auto from = static_cast<std::size_t>(prev);
        const auto to = static_cast<std::size_t>(next);
        for (std::size_t i = from; i < to;) {
            const std::size_t len = apostropheAt(utf8, i, to);
            if (len == 0) {
                ++i;
                continue;
            }
            if (i > from && !emit(from, i))
                return false;
            i += len;
            from = i;
        }
        if (to > from && !emit(from, to))
            return false;
    }
    return true;
}

std::vector<SearchToken> IcuFtsTokenizer::tokenize(std::string_view utf8)
{
    std::vector<SearchToken> out;
    tokenize(
        utf8,
        [](void *ctx, std::string_view term, std::size_t start, std::size_t end) {
            static_cast<std::vector<SearchToken> *>(ctx)->push_back({std::string(term), start, end});
            return true;
        },
        &out);
    return out;
}

// FTS5 glue ---------------------------------------------------------------
//
// FTS5 creates one tokenizer object per table and connection and calls it
// for every document written and every quoted string of a MATCH
// expression. Exceptions must not cross into SQLite: allocation failure
// becomes SQLITE_NOMEM.

namespace {

int ftsCreate(void *, const char **, int nArg, Fts5Tokenizer **out)
{
    *out = nullptr;
    if (nArg > 0)
        return SQLITE_ERROR; // "lede" takes no options
    auto *t = new (std::nothrow) IcuFtsTokenizer();
    if (!t)
        return SQLITE_NOMEM;
    if (!t->valid()) {
        delete t;
        return SQLITE_ERROR;
    }
    *out = reinterpret_cast<Fts5Tokenizer *>(t);
    return SQLITE_OK;
}

void ftsDelete(Fts5Tokenizer *t) { delete reinterpret_cast<IcuFtsTokenizer *>(t); }

struct TokenCallback {
    void *ctx;
    int (*xToken)(void *, int, const char *, int, int, int);
    int rc = SQLITE_OK;
};

int ftsTokenize(Fts5Tokenizer *t, void *ctx, int, const char *text, int length,
                int (*xToken)(void *, int, const char *, int, int, int))
{
    if (!text || length <= 0)
        return SQLITE_OK;
    TokenCallback cb{ctx, xToken};
    try {
        const bool done = reinterpret_cast<IcuFtsTokenizer *>(t)->tokenize(
            std::string_view(text, static_cast<std::size_t>(length)),
            [](void *c, std::string_view term, std::size_t start, std::size_t end) {
                auto *self = static_cast<TokenCallback *>(c);
                self->rc = self->xToken(self->ctx, 0, term.data(), static_cast<int>(term.size()), static_cast<int>(start),
                                        static_cast<int>(end));
                return self->rc == SQLITE_OK;
            },
            &cb);
        if (!done && cb.rc == SQLITE_OK)
            return SQLITE_ERROR;
    } catch (const std::bad_alloc &) {
        return SQLITE_NOMEM;
    }
    return cb.rc;
}

void sqlFold(sqlite3_context *ctx, int, sqlite3_value **argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const auto *p = reinterpret_cast<const char *>(sqlite3_value_text(argv[0]));
    const int n = sqlite3_value_bytes(argv[0]);
    try {
        const std::string folded = foldName(std::string_view(p ? p : "", static_cast<std::size_t>(n)));
        sqlite3_result_text64(ctx, folded.data(), folded.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    } catch (const std::bad_alloc &) {
        sqlite3_result_error_nomem(ctx);
    }
}

} // namespace

fts5_api *fts5Of(sqlite3 *db)
{
    fts5_api *api = nullptr;
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK)
        return nullptr;
    sqlite3_bind_pointer(stmt, 1, &api, "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return api;
}

Status IcuFtsTokenizer::registerWith(sqlite3 *db)
{
    fts5_api *api = fts5Of(db);
    if (!api || api->iVersion < 2)
        return makeError("this SQLite library has no full-text search (FTS5)");
    static fts5_tokenizer tokenizer = {ftsCreate, ftsDelete, ftsTokenize};
    if (api->xCreateTokenizer(api, "lede", nullptr, &tokenizer, nullptr) != SQLITE_OK)
        return makeError("cannot register the search tokenizer: " + std::string(sqlite3_errmsg(db)));
    // Deterministic, so that indexes on lede_fold(name) are allowed;
    // innocuous, as it reads nothing but its argument.
    if (sqlite3_create_function_v2(db, "lede_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                                   sqlFold, nullptr, nullptr, nullptr)
        != SQLITE_OK)
        return makeError("cannot register lede_fold: " + std::string(sqlite3_errmsg(db)));
    return {};
}

} // namespace lede
