// The tagger's model pass: the learned name model reads what the lists
// and rules left open.
#include "core/nlp/TaggerContext.h"

namespace lede {

// The model reads each sentence and proposes names; the rules have spoken
// first. A name it is sure of goes in where no list or rule put one,
// except on headline lines, where capitals say nothing. Where it reads a
// person's full name over a one-word nation from the lists ("Lisa
// Monaco"), the person wins: a nation's name as part of a longer name is
// rarely the nation.
bool EntityTagger::applyModel(Context &cx)
{
    if (!m_model)
        return false;
    const std::size_t spansBefore = cx.spans.size();
    const std::size_t n = cx.tokens.size();
    ner::GazetteerHits hits;
    hits.type.assign(n, 0);
    hits.begins.assign(n, 0);
    hits.length.assign(n, 0);
    hits.classes = cx.classes;

    for (const Span &s : cx.spans) {
        if (!s.fromGazetteer)
            continue;
        const int type = s.kind == Kind::Block ? static_cast<int>(ner::kTypes.size()) : ner::typeIndex(s.type);
        for (std::uint32_t k = s.begin; k < s.end; ++k) {
            hits.type[k] = static_cast<std::uint8_t>(type + 1);
            hits.begins[k] = k == s.begin;
            hits.length[k] = static_cast<std::uint8_t>(std::min<std::uint32_t>(s.end - s.begin, 4));
        }
    }
    std::vector<std::uint64_t> hashes;
    std::vector<std::uint32_t> offsets;
    ner::GazetteerHits sentenceHits;
    std::vector<std::u16string_view> folds(n);
    for (std::size_t i = 0; i < n; ++i)
        folds[i] = cx.fold(i);
    hits.document = ner::documentHints(cx.tokens, folds.data(), cx.text);
    // The model reads stretches around the capitalised words the rules
    // left free (a word either side, and lower-case words between two such
    // words, as in "Bank of America"), in the context of their sentence;
    // elsewhere nothing can gain a name.
    //
    // Rules guess where the model has learned: a name the model is sure of
    // replaces what a rule (never a list) read over the same words. It
    // never removes a rule's name on its own: a veto cost recall on
    // held-out corpora (train --cross) as often as it saved precision.
    auto ruleOwned = [&](std::size_t k) {
        if (cx.owner[k] < 0)
            return false;
        const Span &s = cx.spans[static_cast<std::size_t>(cx.owner[k])];
        return !s.fromGazetteer && !s.partOfCompany;
    };
    auto candidate = [&](std::size_t k) {
        return (cx.owner[k] < 0 || ruleOwned(k)) && !cx.headline[k] && cx.isNameWord(k);
    };
    for (std::size_t a = 0; a < n;) {
        std::size_t b = a + 1;
        while (b < n && !cx.tokens[b].has(Token::SentenceStart) && !cx.tokens[b].has(Token::ParagraphStart))
            ++b;
        bool any = false;
        for (std::size_t k = a; k < b && !any; ++k)
            any = candidate(k);
        if (!any) {
            a = b;
            continue;
        }
        for (auto [from, to] : {std::pair{&hits.type, &sentenceHits.type}, std::pair{&hits.begins, &sentenceHits.begins},
                                std::pair{&hits.length, &sentenceHits.length}})
            to->assign(from->begin() + static_cast<std::ptrdiff_t>(a), from->begin() + static_cast<std::ptrdiff_t>(b));
        sentenceHits.classes.assign(hits.classes.begin() + static_cast<std::ptrdiff_t>(a),
                                    hits.classes.begin() + static_cast<std::ptrdiff_t>(b));
        sentenceHits.document.assign(hits.document.begin() + static_cast<std::ptrdiff_t>(a),
                                     hits.document.begin() + static_cast<std::ptrdiff_t>(b));
        for (std::size_t k = a; k < b;) {
            if (!candidate(k)) {
                ++k;
                continue;
            }
            std::size_t last = k;
            for (std::size_t j = k + 1; j < b && j <= last + 3; ++j)
                if (candidate(j))
                    last = j;
            const std::size_t first = k > a ? k - 1 : a;
            const std::size_t end = std::min(b, last + 2);
            m_features.extract(cx.text, cx.tokens.data() + a, b - a, sentenceHits, first - a, end - a, folds.data() + a,
                               hashes, offsets);
            for (const ner::Mention &m : m_model->tag(hashes, offsets, first == a ? -1 : 0))
                takeMention(cx, static_cast<std::uint32_t>(first + m.begin), static_cast<std::uint32_t>(first + m.end), m);
            k = end;
        }
        a = b;
    }
    return cx.spans.size() != spansBefore;
}

void EntityTagger::takeMention(Context &cx, std::uint32_t begin, std::uint32_t end, const ner::Mention &m)
{
    if (m.confidence < m_modelConfidence)
        return;
    for (std::uint32_t k = begin; k < end; ++k)
        if (cx.headline[k])
            return;
    const std::string_view type = ner::kTypes[static_cast<std::size_t>(m.type)];
    if (!cx.free(begin, end)) {
        // Over what rules alone read, the model's reading wins.
        bool rulesOnly = true, same = false;
        for (std::uint32_t k = begin; k < end; ++k) {
            if (cx.owner[k] < 0)
                continue;
            const Span &o = cx.spans[static_cast<std::size_t>(cx.owner[k])];
            rulesOnly = rulesOnly && !o.fromGazetteer && o.begin >= begin && o.end <= end;
            same = same || (o.begin == begin && o.end == end && o.kind == kindOf(type));
        }
        if (same)
            return;
        if (rulesOnly) {
            cx.clear(begin, end);
            cx.add({begin, end, kindOf(type), std::string(type), {}, false}, "model");
            return;
        }
    }
    if (!cx.free(begin, end)) {
        // The one case where the model overrules the lists.
        if (type != "PERSON" || end - begin < 2)
            return;
        int taken = 0;
        bool nationOnly = true;
        for (std::uint32_t k = begin; k < end; ++k) {
            if (cx.owner[k] < 0)
                continue;
            const Span &o = cx.spans[static_cast<std::size_t>(cx.owner[k])];
            nationOnly = nationOnly && o.fromGazetteer && o.kind == Kind::Nation && o.end - o.begin == 1 && o.begin >= begin
                && o.end <= end;
            ++taken;
        }
        if (!nationOnly || taken != 1)
            return;
        cx.clear(begin, end);
    }
    cx.add({begin, end, kindOf(type), std::string(type), {}, false}, "model");
}

} // namespace lede
