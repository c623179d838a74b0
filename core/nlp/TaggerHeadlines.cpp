// The tagger's first pass: lines set in title case, where capitals say
// nothing.
#include "core/nlp/TaggerContext.h"

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

} // namespace lede
