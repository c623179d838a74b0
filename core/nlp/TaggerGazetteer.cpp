// The tagger's gazetteer pass: the names of the lists and the analyst's.
#include "core/nlp/TaggerContext.h"

namespace lede {

// Gazetteer names, longest first, left to right: the lists and the
// analyst's names.
void EntityTagger::applyGazetteer(Context &cx)
{
    const std::vector<Token> &tokens = cx.tokens;
    const std::size_t n = tokens.size();
    const std::vector<std::uint32_t> ids = m_gazetteer.tokenIds(cx.folded);
    cx.classes = wordClasses(ids);
    for (std::size_t i = 0; i < n;) {
        if (ids[i] == Gazetteer::kNoToken) {
            ++i;
            continue;
        }
        auto m = m_gazetteer.longestMatch(cx.text, tokens, ids, i);
        if (!m) {
            ++i;
            continue;
        }
        const Gazetteer::Entity &e = m_gazetteer.entity(m->entity);
        Span s;
        s.begin = m->begin;
        s.end = m->end;
        s.kind = e.nonEntity ? Kind::Block : kindOf(e.type);
        s.type = e.nonEntity ? std::string() : e.type;
        s.canonical = e.canonical;
        s.fromGazetteer = true;
        cx.add(std::move(s), e.source.empty() ? std::string("gazetteer") : "gazetteer:" + e.source);
        i = m->end;
    }
    // A name the analyst taught (and no list knows) is a whole name: where
    // it is only part of a longer run of capitalised words ("Stanley" in
    // "William Stanley", "League" in "Defamation Action League"), the
    // rules and the model read the longer name instead.
    for (Span &s : cx.spans) {
        if (s.provenance != "gazetteer:learned" || s.kind == Kind::None || s.kind == Kind::Block)
            continue;
        const bool before = s.begin > 0 && !tokens[s.begin].has(Token::SentenceStart)
            && tokens[s.begin].has(Token::SpaceBefore) && cx.owner[s.begin - 1] < 0 && cx.isNameWord(s.begin - 1);
        const bool after = s.end < n && !tokens[s.end].has(Token::SentenceStart) && tokens[s.end].has(Token::SpaceBefore)
            && cx.owner[s.end] < 0 && cx.isNameWord(s.end, true) && !tokens[s.end].has(Token::HasDigit);
        if (before || after)
            cx.clear(s.begin, s.end);
    }
}

} // namespace lede
