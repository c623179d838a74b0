#include "core/io/export/FormatWriter.h"

#include "core/text/Text.h"
#include "core/text/Tokenizer.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <climits>
#include <utility>

namespace lede::exporting {

namespace {

bool isBlank(UChar32 c) { return u_isUWhiteSpace(c) || c == 0x200B || c == 0x2060 || c == 0xFEFF; }

// A token's text for its column: a token never holds white space, but a
// stray one (or a zero-width space) would break the columns, so each
// becomes '_'. Empty when the token is nothing but such characters.
std::string column(std::string_view token)
{
    std::string out;
    bool visible = false;
    const auto *s = reinterpret_cast<const std::uint8_t *>(token.data());
    const auto n = static_cast<std::int32_t>(token.size());
    for (std::int32_t i = 0; i < n;) {
        const std::int32_t from = i;
        UChar32 c;
        U8_NEXT(s, i, n, c);
        if (c >= 0 && isBlank(c)) {
            out.push_back('_');
        } else {
            out.append(token.substr(static_cast<std::size_t>(from), static_cast<std::size_t>(i - from)));
            visible = true;
        }
    }
    return visible ? out : std::string();
}

class Conll final : public FormatWriter {
public:
    explicit Conll(Sink sink) : m_sink(std::move(sink)) {}

    Status begin(const std::vector<EntityType> &, ExportReport &) override { return {}; }

    Status document(const ExportedDocument &exported, ExportReport &report) override
    {
        std::string block;
        auto placed = append(block, exported);
        if (!placed)
            return prefixError("document " + std::to_string(exported.document.id) + ": ", placed.error());
        report.annotations += *placed;
        return m_sink(block);
    }

    Status end(ExportReport &) override { return {}; }

private:
    // A word of the text, its column cut again when it is written: held
    // for every token of a long document, it stays small.
    struct Word {
        std::uint32_t begin = 0; // code points
        std::uint32_t end = 0;
        bool sentenceStart = false;
    };
    // Output held before it goes to the sink: a long document is written
    // in pieces, not built whole.
    static constexpr std::size_t kFlushBytes = 256u << 10;

    // Appends one document in CoNLL-2003 layout, handing the sink what
    // has grown large at sentence breaks, and returns how many of its
    // annotations made it into the tags.
    Result<std::size_t> append(std::string &out, const ExportedDocument &exported)
    {
        const std::string &utf8 = exported.document.text;
        if (utf8.size() > static_cast<std::size_t>(INT32_MAX) / 2)
            return makeError("the text is too large to split into tokens", ErrorKind::InvalidInput);
        out += "-DOCSTART- -X- -X- O\n\n";
        const text::OffsetIndex index(utf8);
        // The tagger's own tokens and sentences: "Microsoft’s" is
        // "Microsoft" and "’s", as in CoNLL-2003, and a hard-wrapped line
        // does not end a sentence.
        // A text that opens with its title on a line of its own (as
        // imported articles do) has the title as a sentence, though it
        // ends in no full stop.
        const std::string &title = exported.document.title;
        const std::size_t afterTitle = !title.empty() && utf8.size() > title.size() && utf8.compare(0, title.size(), title) == 0
                && utf8[title.size()] == '\n'
            ? text::codePointCount(title) + 1
            : 0;
        std::vector<Word> words;
        {
            // The tokens and the UTF-16 text go once the words are known.
            const std::vector<Token> tokens = m_tokenizer.tokenize(text::toUtf16(utf8));
            words.reserve(tokens.size());
            bool sentenceStart = true;
            for (const Token &t : tokens) {
                sentenceStart = sentenceStart || t.has(Token::SentenceStart)
                    || (afterTitle > 0 && t.start >= afterTitle && (words.empty() || words.back().begin < afterTitle));
                if (column(index.slice(t.start, t.end)).empty())
                    continue;
                words.push_back({t.start, t.end, sentenceStart});
                sentenceStart = false;
            }
        }

        // Each token gets at most one annotation: one that overlaps it.
        // Taking annotations by start, longer first, and dropping any that
        // shares a token with one already placed, the earlier-starting
        // (then longer) one wins and every placed annotation is a clean
        // run of tokens.
        std::vector<const Annotation *> ordered;
        ordered.reserve(exported.annotations.size());
        for (const Annotation &a : exported.annotations)
            ordered.push_back(&a);
        std::stable_sort(ordered.begin(), ordered.end(), [](const Annotation *x, const Annotation *y) {
            return x->start != y->start ? x->start < y->start : x->end > y->end;
        });
        std::vector<const Annotation *> owner(words.size(), nullptr);
        std::size_t placed = 0;
        std::size_t claimedUpTo = 0; // words before this index are taken
        for (const Annotation *a : ordered) {
            const auto start = static_cast<std::size_t>(a->start);
            const auto end = static_cast<std::size_t>(a->end);
            const auto first = static_cast<std::size_t>(
                std::partition_point(words.begin(), words.end(), [&](const Word &w) { return w.end <= start; })
                - words.begin());
            if (first == words.size() || words[first].begin >= end || first < claimedUpTo)
                continue;
            std::size_t last = first;
            while (last + 1 < words.size() && words[last + 1].begin < end)
                ++last;
            for (std::size_t k = first; k <= last; ++k)
                owner[k] = a;
            claimedUpTo = last + 1;
            ++placed;
        }

        for (std::size_t k = 0; k < words.size(); ++k) {
            const Word &w = words[k];
            if (k > 0 && w.sentenceStart) {
                out.push_back('\n');
                if (out.size() >= kFlushBytes) {
                    LEDE_TRY(m_sink(out));
                    out.clear();
                }
            }
            out += column(index.slice(w.begin, w.end));
            out += " -X- _ ";
            if (!owner[k]) {
                out.push_back('O');
            } else {
                // IOB2: every run starts with B-, also when an annotation
                // goes on past a sentence break.
                out += k == 0 || w.sentenceStart || owner[k - 1] != owner[k] ? "B-" : "I-";
                out += owner[k]->type;
            }
            out.push_back('\n');
        }
        if (!words.empty())
            out.push_back('\n');
        return placed;
    }

    Sink m_sink;
    Tokenizer m_tokenizer;
};

} // namespace

std::unique_ptr<FormatWriter> conllWriter(Sink sink) { return std::make_unique<Conll>(std::move(sink)); }

} // namespace lede::exporting
