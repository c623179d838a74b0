#include "core/search/SearchHighlighter.h"

#include "core/text/IcuFtsTokenizer.h"
#include "core/text/Text.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>

namespace lede {

SearchHighlighter::SearchHighlighter(const SearchQuery &query)
    : m_tokenizer(std::make_unique<IcuFtsTokenizer>())
{
    if (query.root)
        addTerms(*query.root, false);
    for (std::size_t i = 0; i < m_terms.size(); ++i) {
        const Term &t = m_terms[i];
        m_longest = std::max(m_longest, t.words.size());
        if (t.prefix)
            m_prefixLast.push_back(i);
        else
            m_byLastWord[t.words.back()].push_back(i);
    }
}

SearchHighlighter::~SearchHighlighter() = default;

void SearchHighlighter::addTerms(const QueryNode &node, bool negated)
{
    if (node.isText()) {
        // A NOT term is absent from every hit; highlighting it would only
        // mark what the query did not ask for.
        if (negated)
            return;
        Term t;
        for (SearchToken &tok : m_tokenizer->tokenize(node.text))
            t.words.push_back(std::move(tok.term));
        t.prefix = node.prefix;
        if (!t.words.empty())
            m_terms.push_back(std::move(t));
        return;
    }
    for (const QueryNode &c : node.children)
        addTerms(c, negated != (node.kind == QueryNode::Kind::Not));
}

namespace {

// What find() carries through the tokenizer's callback: the last few terms
// (as many as the longest phrase has words) in a ring, and the byte spans
// found so far. Terms stream through it, so a long document is never held
// as a list of tokens, and the walk stops at the cap.
struct FindState {
    const std::vector<SearchHighlighter::Term> *terms;
    const std::unordered_map<std::string, std::vector<std::size_t>> *byLastWord;
    const std::vector<std::size_t> *prefixLast;
    std::vector<std::string> ring;
    std::vector<std::size_t> ringStart;
    std::size_t seen = 0;
    std::size_t max = 0;
    std::vector<std::pair<std::size_t, std::size_t>> bytes;

    // Does term `t` end with the term just read (now at seen - 1)?
    void check(const SearchHighlighter::Term &t, std::size_t end)
    {
        const std::size_t n = t.words.size();
        if (n > seen)
            return;
        const std::size_t k = ring.size();
        for (std::size_t i = 0; i < n; ++i) {
            const std::string &have = ring[(seen - n + i) % k];
            const std::string &want = t.words[i];
            if (i + 1 == n && t.prefix ? !have.starts_with(want) : have != want)
                return;
        }
        bytes.emplace_back(ringStart[(seen - n) % k], end);
    }

    static bool take(void *ctx, std::string_view term, std::size_t start, std::size_t end)
    {
        auto &st = *static_cast<FindState *>(ctx);
        const std::size_t slot = st.seen % st.ring.size();
        st.ring[slot].assign(term);
        st.ringStart[slot] = start;
        ++st.seen;
        const std::string &word = st.ring[slot];
        if (auto it = st.byLastWord->find(word); it != st.byLastWord->end())
            for (const std::size_t t : it->second)
                st.check((*st.terms)[t], end);
        for (const std::size_t t : *st.prefixLast)
            if (word.starts_with((*st.terms)[t].words.back()))
                st.check((*st.terms)[t], end);
        return st.bytes.size() < st.max;
    }
};

} // namespace

std::vector<MatchSpan> SearchHighlighter::find(std::string_view utf8, std::size_t maxMatches)
{
    std::vector<MatchSpan> out;
    if (m_terms.empty() || maxMatches == 0)
        return out;
    FindState state{&m_terms, &m_byLastWord, &m_prefixLast, {}, {}, 0, maxMatches, {}};
    state.ring.resize(m_longest);
    state.ringStart.resize(m_longest);
    m_tokenizer->tokenize(utf8, &FindState::take, &state);
    const auto &bytes = state.bytes;

    // Byte offsets to code points in one walk over the text.
    std::vector<std::size_t> marks;
    marks.reserve(bytes.size() * 2);
    for (const auto &[s, e] : bytes) {
        marks.push_back(s);
        marks.push_back(e);
    }
    std::sort(marks.begin(), marks.end());
    marks.erase(std::unique(marks.begin(), marks.end()), marks.end());
    std::vector<std::int64_t> codePoints(marks.size());
    std::size_t m = 0;
    std::int64_t cp = 0;
    for (std::size_t b = 0; b <= utf8.size() && m < marks.size(); ++b) {
        while (m < marks.size() && marks[m] == b)
            codePoints[m++] = cp;
        if (b < utf8.size() && (static_cast<unsigned char>(utf8[b]) & 0xC0) != 0x80)
            ++cp;
    }
    auto toCodePoint = [&](std::size_t byte) {
        return codePoints[static_cast<std::size_t>(std::lower_bound(marks.begin(), marks.end(), byte) - marks.begin())];
    };
    out.reserve(bytes.size());
    for (const auto &[s, e] : bytes)
        out.push_back({toCodePoint(s), toCodePoint(e)});
    return merge(std::move(out));
}

std::vector<MatchSpan> SearchHighlighter::merge(std::vector<MatchSpan> spans)
{
    std::sort(spans.begin(), spans.end(), [](const MatchSpan &a, const MatchSpan &b) {
        return a.start < b.start || (a.start == b.start && a.end > b.end);
    });
    std::vector<MatchSpan> out;
    for (const MatchSpan &s : spans) {
        if (s.end <= s.start)
            continue;
        if (!out.empty() && s.start < out.back().end)
            out.back().end = std::max(out.back().end, s.end);
        else
            out.push_back(s);
    }
    return out;
}

namespace {

bool isSpace(UChar32 c) { return c < 0x20 || c == 0x7F || u_isUWhiteSpace(c); }

} // namespace

Snippet SearchHighlighter::snippet(std::string_view utf8, const std::vector<MatchSpan> &focus,
                                   const std::vector<MatchSpan> &matches, std::size_t length)
{
    Snippet out;
    const text::OffsetIndex index(utf8);
    const auto total = static_cast<std::int64_t>(index.codePoints());
    const auto want = static_cast<std::int64_t>(length);
    if (want <= 0 || total == 0)
        return out;

    // The window holding the most matches, with a third of what is left
    // of it before the first of them, so the reader sees what leads in.
    std::int64_t from = 0;
    std::int64_t clusterStart = total;
    if (!focus.empty()) {
        std::size_t best = 0, bestCount = 0;
        for (std::size_t i = 0, j = 0; i < focus.size(); ++i) {
            j = std::max(j, i);
            while (j < focus.size() && focus[j].end <= focus[i].start + want)
                ++j;
            if (j - i > bestCount) {
                best = i;
                bestCount = j - i;
            }
        }
        const std::int64_t first = focus[best].start;
        const std::int64_t last = bestCount > 0 ? focus[best + bestCount - 1].end : focus[best].end;
        const std::int64_t slack = std::max<std::int64_t>(0, want - (last - first));
        from = first - std::min(first, slack / 3);
        clusterStart = first;
    }
    std::int64_t to = std::min(total, from + want);
    from = std::max<std::int64_t>(0, std::min(from, to - want));

    // Decode a little beyond both ends so the cut can move to white space.
    constexpr std::int64_t kReach = 16;
    const std::int64_t lo = std::max<std::int64_t>(0, from - kReach);
    const std::int64_t hi = std::min(total, to + kReach);
    std::vector<UChar32> chars;
    chars.reserve(static_cast<std::size_t>(hi - lo));
    {
        const std::string_view region = index.slice(static_cast<std::size_t>(lo), static_cast<std::size_t>(hi));
        std::int32_t i = 0;
        while (i < static_cast<std::int32_t>(region.size())) {
            UChar32 c;
            U8_NEXT(region.data(), i, static_cast<std::int32_t>(region.size()), c);
            chars.push_back(c < 0 ? 0xFFFD : c);
        }
    }
    auto at = [&](std::int64_t cp) { return chars[static_cast<std::size_t>(cp - lo)]; };
    if (from > 0 && !isSpace(at(from - 1))) {
        // Start after the nearest white space ahead, unless that would skip
        // into the matches; scripts without spaces are cut where they are.
        for (std::int64_t p = from; p < std::min(to, from + kReach); ++p)
            if (isSpace(at(p))) {
                if (p + 1 <= std::max(from, clusterStart))
                    from = p + 1;
                break;
            }
    }
    if (to < total && !isSpace(at(to))) {
        for (std::int64_t p = to; p > std::max(from, to - kReach); --p)
            if (isSpace(at(p - 1))) {
                to = p - 1;
                break;
            }
    }
    while (to > from && isSpace(at(to - 1)))
        --to;
    while (from < to && isSpace(at(from)))
        ++from;

    out.start = from;
    out.end = to;
    std::vector<std::int64_t> position(static_cast<std::size_t>(to - from) + 1);
    std::int64_t written = 0;
    if (from > 0) {
        out.text += "…";
        ++written;
    }
    bool lastSpace = false;
    for (std::int64_t p = from; p < to; ++p) {
        position[static_cast<std::size_t>(p - from)] = written;
        const UChar32 c = at(p);
        if (isSpace(c)) {
            if (lastSpace)
                continue;
            out.text += ' ';
            lastSpace = true;
        } else {
            text::appendUtf8(out.text, static_cast<char32_t>(c));
            lastSpace = false;
        }
        ++written;
    }
    position[static_cast<std::size_t>(to - from)] = written;
    if (to < total)
        out.text += "…";

    for (const MatchSpan &m : matches) {
        const std::int64_t s = std::max(m.start, from);
        const std::int64_t e = std::min(m.end, to);
        if (e <= s)
            continue;
        const MatchSpan mapped{position[static_cast<std::size_t>(s - from)], position[static_cast<std::size_t>(e - from)]};
        if (mapped.end > mapped.start)
            out.matches.push_back(mapped);
    }
    return out;
}

} // namespace lede
