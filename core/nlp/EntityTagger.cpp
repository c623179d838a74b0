#include "core/nlp/EntityTagger.h"

#include "core/nlp/EmbeddedResources.h"
#include "core/nlp/TaggerContext.h"
#include "core/text/Text.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <iterator>
#include <cstdlib>

namespace lede {

Result<std::unique_ptr<EntityTagger>> EntityTagger::createDefault()
{
    Gazetteer gazetteer;
    LEDE_TRY(gazetteer.loadTsv(resources::gazetteerTsv()));
    auto lines = [](std::string_view list) {
        std::vector<std::string> out;
        text::LineReader reader(list);
        for (std::string_view line; reader.next(line);)
            if (line = text::trim(line); !line.empty() && line[0] != '#')
                out.emplace_back(line);
        return out;
    };
    auto tagger = std::make_unique<EntityTagger>(std::move(gazetteer), lines(resources::givenNames()),
                                                 lines(resources::commonWords()));
    if (!modelSwitchedOff()) {
        LEDE_TRY_ASSIGN(auto model, builtInModel());
        tagger->setModel(model);
    }
    return tagger;
}

EntityTagger::EntityTagger(Gazetteer gazetteer, std::vector<std::string> givenNames, std::vector<std::string> commonWords)
    : m_gazetteer(std::move(gazetteer))
{
    // Word classes live in a vector indexed by the gazetteer's token ids,
    // so that one hash probe per token serves both.
    auto classOf = [this](std::u16string_view folded) -> std::uint32_t & {
        const std::uint32_t id = m_gazetteer.internToken(folded);
        if (id >= m_tokenClasses.size())
            m_tokenClasses.resize(id + 1, 0);
        return m_tokenClasses[id];
    };
    auto mark = [&](std::string_view word, std::uint32_t bits) { classOf(foldForMatch(text::toUtf16(word))) |= bits; };
    for (const auto &[bits, word] : wordClassEntries())
        mark(word, bits);
    // Plurals of common words are common too: "Officials", "Shares".
    for (const std::string &word : commonWords) {
        const std::u16string folded = foldForMatch(text::toUtf16(word));
        classOf(folded) |= W::Common;
        if (folded.size() > 2 && folded.back() != u's')
            classOf(folded + u's') |= W::Common;
    }
    // A given name is never only a common word at a sentence start.
    for (const std::string &name : givenNames) {
        std::uint32_t &bits = classOf(foldForMatch(text::toUtf16(name)));
        bits = (bits & ~std::uint32_t(W::Common)) | W::Given;
    }
}

std::vector<std::uint32_t> EntityTagger::wordClasses(const std::vector<std::uint32_t> &ids) const
{
    std::vector<std::uint32_t> out(ids.size(), 0);
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (ids[i] < m_tokenClasses.size())
            out[i] = m_tokenClasses[ids[i]];
    return out;
}

EntityTagger::~EntityTagger() = default;

std::vector<std::uint32_t> EntityTagger::tokenClasses(std::u16string_view text, const std::vector<Token> &tokens) const
{
    return wordClasses(m_gazetteer.tokenIds(text, tokens));
}

ner::Features EntityTagger::modelFeatures() const
{
    return ner::Features(&m_gazetteer, [this](std::u16string_view text, const std::vector<Token> &tokens) {
        return tokenClasses(text, tokens);
    });
}

void EntityTagger::learn(std::string_view type, std::string_view canonical, std::string_view surface)
{
    // Names the analyst marked are matched as written: an analyst who
    // tags "Apple" the company has not tagged every "apple".
    m_gazetteer.add(type, canonical.empty() ? surface : canonical, surface, true, false, "learned");
}

bool EntityTagger::modelSwitchedOff()
{
    const char *off = std::getenv("LEDE_NO_MODEL");
    return off && std::string_view(off) == "1";
}

bool EntityTagger::listed(std::string_view type, std::string_view surface)
{
    const std::u16string wide = text::toUtf16(surface);
    const std::vector<Token> toks = m_tokenizer.tokenize(wide, false);
    if (toks.empty())
        return false;
    const std::vector<std::uint32_t> ids = m_gazetteer.tokenIds(wide, toks);
    if (ids[0] == Gazetteer::kNoToken)
        return false;
    const auto match = m_gazetteer.longestMatch(wide, toks, ids, 0);
    if (!match || match->end != toks.size())
        return false;
    const Gazetteer::Entity &e = m_gazetteer.entity(match->entity);
    return !e.nonEntity && e.type == type && e.source != "learned";
}

void EntityTagger::suppress(std::string_view type, std::string_view surface)
{
    std::u16string folded;
    const std::u16string wide = text::toUtf16(surface);
    const std::vector<Token> toks = m_tokenizer.tokenize(wide, false);
    for (std::size_t i = 0; i < toks.size(); ++i) {
        if (i > 0)
            folded.push_back(u'\x1f');
        folded += foldForMatch(std::u16string_view(wide).substr(toks[i].u16Start, toks[i].u16End - toks[i].u16Start));
    }
    m_suppressed.emplace(std::string(type), folded);
}

void EntityTagger::setModel(std::shared_ptr<const ner::Model> model) { m_model = std::move(model); }

Result<std::shared_ptr<const ner::Model>> EntityTagger::builtInModel()
{
    static const Result<std::shared_ptr<const ner::Model>> model = []() -> Result<std::shared_ptr<const ner::Model>> {
        auto loaded = ner::Model::load(resources::nerModel());
        if (!loaded)
            return makeError("the built-in name model: " + loaded.message());
        return std::shared_ptr<const ner::Model>(std::make_shared<ner::Model>(std::move(*loaded)));
    }();
    return model;
}

template <typename Take> void EntityTagger::tagParts(std::string_view utf8, Take take)
{
    if (utf8.size() <= kWholeTextBytes) {
        take(tagWhole(utf8));
        return;
    }
    std::uint32_t before = 0; // code points of the parts already tagged
    for (std::size_t from = 0; from < utf8.size();) {
        const std::size_t to = text::partEnd(utf8, from + kPartBytes, kPartBytes / 4);
        const std::string_view part = utf8.substr(from, to - from);
        std::vector<TaggedSpan> spans = tagWhole(part);
        for (TaggedSpan &s : spans) {
            s.start += before;
            s.end += before;
        }
        take(std::move(spans));
        before += static_cast<std::uint32_t>(text::codePointCount(part));
        from = to;
    }
}

std::vector<TaggedSpan> EntityTagger::tag(std::string_view utf8)
{
    std::vector<TaggedSpan> out;
    tagParts(utf8, [&out](std::vector<TaggedSpan> spans) {
        if (out.empty())
            out = std::move(spans);
        else
            std::move(spans.begin(), spans.end(), std::back_inserter(out));
    });
    return out;
}

Suggestions EntityTagger::suggest(std::string_view utf8)
{
    Suggestions out;
    tagParts(utf8, [&out](std::vector<TaggedSpan> spans) {
        for (const TaggedSpan &s : spans)
            out.add(s.start, s.end, s.type, s.entity, s.provenance, s.confidence);
    });
    return out;
}

std::vector<TaggedSpan> EntityTagger::tagWhole(std::string_view utf8)
{
    const std::u16string text = text::toUtf16(utf8);
    const std::vector<Token> tokens = m_tokenizer.tokenize(text);
    const FoldedTokens folded(text, tokens);
    Context cx(text, tokens, folded);

    markHeadlines(cx);
    // 1. Gazetteer names, longest first, left to right.
    applyGazetteer(cx);

    // 2. Capitalised runs, each read by the rules below.
    const std::vector<Run> runs = buildRuns(cx);

    // 3. The rules read what the lists left open, and a name read two
    // ways takes its most frequent reading.
    decideRuns(cx, runs);
    voteReadings(cx);

    propagateKnown(cx);
    propagateAliases(cx);
    propagateLists(cx, runs);
    dropNonNationUses(cx);

    // The model then reads what the lists, the rules and the document left
    // free, and the names it takes are carried through the document in
    // turn. Coming last, it overrules the rules (never the lists) where it
    // is sure, and never removes a name.
    if (applyModel(cx))
        propagateKnown(cx);

    // 4. Spans in code points, without rejected names.
    std::vector<TaggedSpan> out;
    out.reserve(cx.spans.size());
    for (const Span &s : cx.spans) {
        if (s.kind == Kind::Block || s.type.empty())
            continue;
        if (!m_suppressed.empty() && m_suppressed.count({s.type, cx.key(s.begin, s.end)}))
            continue;
        out.push_back({tokens[s.begin].start, tokens[s.end - 1].end, s.type,
                       s.canonical.empty() ? cx.surfaceUtf8(s.begin, s.end) : s.canonical, s.provenance, s.confidence});
    }
    std::sort(out.begin(), out.end(), [](const TaggedSpan &a, const TaggedSpan &b) { return a.start < b.start; });
    return out;
}
} // namespace lede
