// The tagger's first passes: title-case lines, and the names of the
// gazetteer.
#include "core/TaggerContext.h"

namespace lede {

// Title-case lines (headlines, bylines) capitalise ordinary words; there
// only the gazetteers and document-level names apply.
void EntityTagger::markHeadlines(Context &cx)
{
    const std::vector<Token> &tokens = cx.tokens;
    const std::size_t n = tokens.size();
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i <= n; ++i) {
        if (i == n || (i > lineStart && tokens[i].has(Token::NewlineBefore))) {
            int words = 0, caps = 0;
            for (std::size_t k = lineStart; k < i; ++k) {
                if (!tokens[k].has(Token::Word) || tokens[k].u16End - tokens[k].u16Start < 4)
                    continue;
                ++words;
                caps += tokens[k].has(Token::Capitalized);
            }
            // Prose lines end in a full stop; headlines rarely do.
            const bool endsSentence = i > lineStart && (cx.isChar(i - 1, u'.') || cx.isChar(i - 1, u'"')
                                                        || cx.isChar(i - 1, u'\u201d'));
            if (words >= 3 && caps * 10 >= words * 8 && !endsSentence)
                for (std::size_t k = lineStart; k < i; ++k)
                    cx.headline[k] = true;
            lineStart = i;
        }
    }
}

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
