#include "core/text/SearchIndexForm.h"

#include "core/text/Hash.h"
#include "core/text/IcuFtsTokenizer.h"

#include <sqlite3.h>

#include <unicode/utf8.h>

#include <climits>
#include <new>

namespace lede {

std::string searchIndexForm(std::string_view utf8)
{
    thread_local IcuFtsTokenizer tokenizer;
    std::string out;
    out.reserve(utf8.size() + utf8.size() / 8);
    tokenizer.tokenize(
        utf8,
        [](void *ctx, std::string_view term, std::size_t, std::size_t) {
            auto &o = *static_cast<std::string *>(ctx);
            if (!o.empty())
                o.push_back(' ');
            o.append(term);
            return true;
        },
        &out);
    return out;
}

namespace {

// Latin letters and Latin-1 signs that unicode61 (remove_diacritics 2)
// reads as Lede's folding does: "é" is "e" to both. Not those that
// compatibility folding spells out ("ß" → "ss", "ĳ" → "ij", "ǆ" → "dž",
// "½", superscripts, "ª"), the soft hyphen (ignored by folding, a
// separator to unicode61) or the few letters whose accents unicode61
// keeps ("ǡ", "ǯ", "ǽ", "ǿ"). The test of SearchIndexForm checks every
// character this passes.
bool plainLatin(UChar32 c)
{
    if (c < 0x80 || c > 0x24F)
        return false;
    switch (c) {
    case 0xAA: case 0xAD: case 0xB2: case 0xB3: case 0xB9: case 0xBA: case 0xBC: case 0xBD: case 0xBE: case 0xDF:
    case 0x132: case 0x133: case 0x13F: case 0x140: case 0x149: case 0x1EE: case 0x1EF:
        return false;
    default:
        return !(c >= 0x1C4 && c <= 0x1CC) && !(c >= 0x1E0 && c <= 0x1E3) && !(c >= 0x1F1 && c <= 0x1F3)
            && !(c >= 0x1FC && c <= 0x1FF);
    }
}

} // namespace

// ASCII letters and digits are words to both, lower-cased, and the rest
// of ASCII separates; both drop the spaces and punctuation of General
// Punctuation. Not its format characters U+200B-U+200F and U+2060-U+206F:
// ICU keeps a zero-width joiner inside a word and folding removes it,
// where unicode61 splits the word there.
bool SearchIndexForm::plainEverywhere(std::string_view utf8)
{
    const auto *p = reinterpret_cast<const unsigned char *>(utf8.data());
    const std::size_t n = utf8.size();
    for (std::size_t i = 0; i < n;) {
        if (p[i] < 0x80) {
            ++i;
            continue;
        }
        UChar32 c = 0;
        U8_NEXT(p, i, n, c);
        const bool space = (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F;
        const bool punctuation = (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205E);
        if (!space && !punctuation && !plainLatin(c))
            return false;
    }
    return true;
}

struct SearchIndexForm::Impl {
    fts5_tokenizer api{};
    Fts5Tokenizer *unicode61 = nullptr;

    ~Impl()
    {
        if (unicode61)
            api.xDelete(unicode61);
    }

    // unicode61's tokens of `utf8` as one hash of the whole sequence and
    // a count; nothing when unicode61 failed.
    std::optional<std::pair<std::uint64_t, std::size_t>> tokens(std::string_view utf8)
    {
        if (utf8.size() > static_cast<std::size_t>(INT_MAX))
            return std::nullopt;
        std::pair<std::uint64_t, std::size_t> sum{0x9E3779B97F4A7C15ull, 0};
        auto call = [](void *ctx, int, const char *token, int length, int, int) {
            auto &[h, n] = *static_cast<std::pair<std::uint64_t, std::size_t> *>(ctx);
            // FNV-1a over the token's bytes, then mixed into the sequence.
            std::uint64_t t = 0xcbf29ce484222325ull;
            for (int i = 0; i < length; ++i)
                t = (t ^ static_cast<unsigned char>(token[i])) * 0x100000001b3ull;
            h = text::mix64(h ^ t) + static_cast<std::uint64_t>(length);
            ++n;
            return SQLITE_OK;
        };
        if (api.xTokenize(unicode61, &sum, FTS5_TOKENIZE_DOCUMENT, utf8.data(), static_cast<int>(utf8.size()), call)
            != SQLITE_OK)
            return std::nullopt;
        return sum;
    }

    // Whether unicode61 reads `a` and `b` into the same tokens. Compared
    // by a 64-bit hash of each sequence, so that a long text costs no
    // memory; two sequences that differ and hash alike would be read as
    // the text itself, a chance of one in 2^64.
    bool sameTokens(std::string_view a, std::string_view b)
    {
        const auto x = tokens(a);
        return x && x == tokens(b);
    }
};

SearchIndexForm::SearchIndexForm(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}

SearchIndexForm::~SearchIndexForm() = default;

Result<std::unique_ptr<SearchIndexForm>> SearchIndexForm::open(sqlite3 *db)
{
    fts5_api *fts = fts5Of(db);
    if (!fts)
        return makeError("this SQLite library has no full-text search (FTS5)");
    auto impl = std::make_unique<Impl>();
    void *userData = nullptr;
    if (fts->xFindTokenizer(fts, "unicode61", &userData, &impl->api) != SQLITE_OK)
        return makeError("this SQLite library's full-text search has no unicode61 tokenizer");
    // kSearchTokenizer's options, one argument each.
    const char *args[] = {"remove_diacritics", "2", "categories", "L* N* Co M*"};
    if (impl->api.xCreate(userData, args, 4, &impl->unicode61) != SQLITE_OK || !impl->unicode61)
        return makeError("cannot open SQLite's unicode61 tokenizer");
    return std::unique_ptr<SearchIndexForm>(new SearchIndexForm(std::move(impl)));
}

std::optional<std::string> SearchIndexForm::of(std::string_view utf8)
{
    if (plainEverywhere(utf8))
        return std::nullopt;
    return compared(utf8);
}

std::optional<std::string> SearchIndexForm::compared(std::string_view utf8)
{
    // Compared a stretch of lines at a time, so that a long text whose
    // form is not kept (most) costs no copy of its size. Both tokenizers
    // break at a line end, and the form of the whole is the stretches'
    // forms joined by spaces: the tokens agree throughout exactly when
    // they agree in every stretch.
    constexpr std::size_t kStretch = 1u << 20;
    bool same = true;
    for (std::size_t from = 0; from < utf8.size() && same;) {
        std::size_t to = utf8.size();
        if (utf8.size() - from > kStretch)
            if (const std::size_t line = utf8.find('\n', from + kStretch); line != std::string_view::npos)
                to = line + 1;
        const std::string_view stretch = utf8.substr(from, to - from);
        same = m_impl->sameTokens(stretch, searchIndexForm(stretch));
        from = to;
    }
    if (same)
        return std::nullopt;
    return searchIndexForm(utf8);
}

namespace {

void sqlIndexForm(sqlite3_context *ctx, int, sqlite3_value **argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const auto *p = reinterpret_cast<const char *>(sqlite3_value_text(argv[0]));
    const int n = sqlite3_value_bytes(argv[0]);
    try {
        auto *forms = static_cast<SearchIndexForm *>(sqlite3_user_data(ctx));
        const std::optional<std::string> form = forms->of(std::string_view(p ? p : "", static_cast<std::size_t>(n)));
        if (form)
            sqlite3_result_text64(ctx, form->data(), form->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
        else
            sqlite3_result_null(ctx);
    } catch (const std::bad_alloc &) {
        sqlite3_result_error_nomem(ctx);
    }
}

} // namespace

Status SearchIndexForm::registerWith(sqlite3 *db)
{
    LEDE_TRY_ASSIGN(auto forms, open(db));
    SearchIndexForm *raw = forms.release();
    // SQLite owns the instance from here, and deletes it with the function
    // (also when registering fails).
    if (sqlite3_create_function_v2(db, "lede_index_form", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, raw,
                                   sqlIndexForm, nullptr, nullptr,
                                   [](void *p) { delete static_cast<SearchIndexForm *>(p); })
        != SQLITE_OK)
        return makeError("cannot register lede_index_form: " + std::string(sqlite3_errmsg(db)));
    return {};
}

} // namespace lede
