#include "core/io/export/FormatWriter.h"

#include "core/text/Text.h"
#include "core/text/Tokenizer.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <climits>
#include <cstdint>
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
    // for every token of a part, it stays small.
    struct Word {
        std::uint32_t begin = 0; // code points
        std::uint32_t end = 0;
        bool sentenceStart = false;
    };
    // An annotation as the tags need it: its span and its type's number.
    struct Span {
        std::uint32_t start = 0;
        std::uint32_t end = 0;
        std::uint32_t type = 0;
    };
    // Output held before it goes to the sink: a long document is written
    // in pieces, not built whole.
    static constexpr std::size_t kFlushBytes = 256u << 10;
    // A text longer than this is tokenised a part at a time, cut at blank
    // lines (each a sentence start) where it can be, so that its tokens and
    // words are never all in memory.
    static constexpr std::size_t kWholeTextBytes = 1u << 20;
    static constexpr std::size_t kPartBytes = 256u << 10;

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
        // A text that opens with its title on a line of its own (as
        // imported articles do) has the title as a sentence, though it
        // ends in no full stop.
        const std::string &title = exported.document.title;
        const std::size_t afterTitle = !title.empty() && utf8.size() > title.size() && utf8.compare(0, title.size(), title) == 0
                && utf8[title.size()] == '\n'
            ? text::codePointCount(title) + 1
            : 0;

        // Each token gets at most one annotation: one that overlaps it.
        // Taking annotations by start, longer first, and dropping any that
        // shares a token with one already placed, the earlier-starting
        // (then longer) one wins and every placed annotation is a clean
        // run of tokens.
        std::vector<Span> spans;
        std::vector<std::string> types;
        LEDE_TRY(exported.forEachAnnotation([&](const Annotation &a) -> Status {
            auto type = std::find(types.begin(), types.end(), a.type);
            if (type == types.end())
                type = types.insert(types.end(), a.type);
            spans.push_back({static_cast<std::uint32_t>(a.start), static_cast<std::uint32_t>(a.end),
                             static_cast<std::uint32_t>(type - types.begin())});
            return {};
        }));
        std::stable_sort(spans.begin(), spans.end(), [](const Span &x, const Span &y) {
            return x.start != y.start ? x.start < y.start : x.end > y.end;
        });

        std::size_t next = 0;            // the first span not yet placed or passed over
        std::size_t placed = 0;
        std::uint32_t claimedEnd = 0;    // the words claimed so far end here
        constexpr std::size_t kNone = SIZE_MAX;
        std::size_t carry = kNone;       // a span that goes on past the part before
        std::uint32_t before = 0;        // 1 + the span of the last word written; 0 for none
        bool anyWord = false;
        std::vector<Word> words;
        std::vector<std::uint32_t> owner; // 1 + the span of each word; 0 for none
        std::uint32_t fromCp = 0;
        for (std::size_t from = 0; from < utf8.size();) {
            const std::size_t to =
                utf8.size() <= kWholeTextBytes ? utf8.size() : text::partEnd(utf8, from + kPartBytes, kPartBytes / 4);
            const std::string_view part = std::string_view(utf8).substr(from, to - from);
            const auto endCp = static_cast<std::uint32_t>(fromCp + text::codePointCount(part));
            words.clear();
            {
                // The tagger's own tokens and sentences: "Microsoft’s" is
                // "Microsoft" and "’s", as in CoNLL-2003, and a hard-wrapped
                // line does not end a sentence. The tokens and the UTF-16
                // text go once the words are known.
                const std::vector<Token> tokens = m_tokenizer.tokenize(text::toUtf16(part));
                words.reserve(tokens.size());
                bool sentenceStart = true;
                for (const Token &t : tokens) {
                    const std::uint32_t begin = fromCp + t.start, end = fromCp + t.end;
                    sentenceStart = sentenceStart || t.has(Token::SentenceStart)
                        || (afterTitle > 0 && begin >= afterTitle && (words.empty() || words.back().begin < afterTitle));
                    if (column(index.slice(begin, end)).empty())
                        continue;
                    words.push_back({begin, end, sentenceStart});
                    sentenceStart = false;
                }
            }
            owner.assign(words.size(), 0);
            if (carry != kNone) {
                std::size_t k = 0;
                for (; k < words.size() && words[k].begin < spans[carry].end; ++k) {
                    owner[k] = static_cast<std::uint32_t>(carry + 1);
                    claimedEnd = words[k].end;
                }
                if (k < words.size())
                    carry = kNone;
            }
            for (; next < spans.size() && spans[next].start < endCp; ++next) {
                const Span &a = spans[next];
                const auto first = static_cast<std::size_t>(
                    std::partition_point(words.begin(), words.end(), [&](const Word &w) { return w.end <= a.start; })
                    - words.begin());
                if (first == words.size()) {
                    if (a.end > endCp)
                        break; // its first word, if any, is in a later part
                    continue;
                }
                if (words[first].begin >= a.end || words[first].begin < claimedEnd)
                    continue;
                std::size_t last = first;
                while (last + 1 < words.size() && words[last + 1].begin < a.end)
                    ++last;
                for (std::size_t w = first; w <= last; ++w)
                    owner[w] = static_cast<std::uint32_t>(next + 1);
                claimedEnd = words[last].end;
                ++placed;
                if (last + 1 == words.size() && a.end > endCp)
                    carry = next;
            }

            for (std::size_t w = 0; w < words.size(); ++w) {
                const Word &word = words[w];
                if (anyWord && word.sentenceStart) {
                    out.push_back('\n');
                    if (out.size() >= kFlushBytes) {
                        LEDE_TRY(m_sink(out));
                        out.clear();
                    }
                }
                out += column(index.slice(word.begin, word.end));
                out += " -X- _ ";
                if (!owner[w]) {
                    out.push_back('O');
                } else {
                    // IOB2: every run starts with B-, also when an
                    // annotation goes on past a sentence break.
                    out += !anyWord || word.sentenceStart || before != owner[w] ? "B-" : "I-";
                    out += types[spans[owner[w] - 1].type];
                }
                out.push_back('\n');
                before = owner[w];
                anyWord = true;
            }
            fromCp = endCp;
            from = to;
        }
        if (anyWord)
            out.push_back('\n');
        return placed;
    }

    Sink m_sink;
    Tokenizer m_tokenizer;
};

} // namespace

std::unique_ptr<FormatWriter> conllWriter(Sink sink) { return std::make_unique<Conll>(std::move(sink)); }

} // namespace lede::exporting
