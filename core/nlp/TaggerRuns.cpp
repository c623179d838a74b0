// The tagger's run pass: stretches of capitalised name words, which the
// decision pass reads as names.
#include "core/nlp/TaggerContext.h"

namespace lede {

// Capitalised runs: gazetteer names and unknown name words joined by
// connectors ("of", "&"), initials ("J.") and tight hyphens.
std::vector<EntityTagger::Run> EntityTagger::buildRuns(Context &cx)
{
    const std::vector<Token> &tokens = cx.tokens;
    const std::size_t n = tokens.size();
    std::vector<Run> runs;
    for (std::size_t i = 0; i < n;) {
        auto startsUnit = [&](std::size_t k, bool continuing) {
            if (k >= n)
                return false;
            if (cx.owner[k] >= 0)
                return cx.spans[static_cast<std::size_t>(cx.owner[k])].kind != Kind::Block
                    && cx.spans[static_cast<std::size_t>(cx.owner[k])].begin == k;
            if (cx.isNameWord(k, continuing))
                return true;
            // "Operation Aurora" opens a name even at a sentence start.
            if (tokens[k].has(Token::Capitalized) && cx.fold(k) == u"operation" && k + 1 < n
                && tokens[k + 1].has(Token::Capitalized) && !cx.is(k + 1, W::Stop))
                return true;
            // A title word opens an organisation's name when a head follows:
            // "Foreign Office", "Justice Department", "State Duma".
            return tokens[k].has(Token::Capitalized) && cx.is(k, W::Title) && !cx.is(k, W::Stop) && k + 1 < n
                && cx.owner[k + 1] < 0 && tokens[k + 1].has(Token::Capitalized) && cx.is(k + 1, W::OrgHead)
                && !tokens[k + 1].has(Token::SentenceStart);
        };
        if (!startsUnit(i, false)) {
            ++i;
            continue;
        }
        std::size_t end = i;
        bool afterInitial = false;
        for (;;) {
            // Take one unit at `end`.
            afterInitial = false;
            if (cx.owner[end] >= 0) {
                end = cx.spans[static_cast<std::size_t>(cx.owner[end])].end;
            } else if (cx.isInitial(end)) {
                end += 2;
                afterInitial = true;
            } else {
                ++end;
            }
            if (end >= n || tokens[end].has(Token::ParagraphStart))
                break;
            // A tight hyphen joins a word: "Kim Kuk-song", "Hewlett-Packard";
            // but "Mirai-based" or "Russian-speaking" end the name.
            if ((cx.isChar(end, u'-') || cx.isChar(end, u'\u2010')) && !tokens[end].has(Token::SpaceBefore)
                && end + 1 < n && !tokens[end + 1].has(Token::SpaceBefore) && cx.isWord(end + 1)
                && cx.owner[end] < 0 && cx.owner[end + 1] < 0 && !cx.is(end + 1, W::HyphenSuffix)) {
                end += 1;
                continue;
            }
            // ICU may end a sentence after an initial ("Edward J. Snowden").
            if (tokens[end].has(Token::SentenceStart) && !afterInitial)
                break;
            if (startsUnit(end, true) || (cx.owner[end] < 0 && cx.isInitial(end) && end + 2 < n && startsUnit(end + 2, true))) {
                continue;
            }
            if (cx.owner[end] < 0 && cx.is(end, W::Connector) && startsUnit(end + 1, true)
                && !tokens[end + 1].has(Token::SentenceStart) && !cx.tokens[end].has(Token::Capitalized)) {
                end += 1;
                continue;
            }
            break;
        }
        runs.push_back({i, end});
        i = end;
    }
    return runs;
}

} // namespace lede
