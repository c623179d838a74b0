// The tagger's voting pass: one reading per name and document.
#include "core/nlp/TaggerContext.h"

#include <map>
#include <unordered_map>

namespace lede {

namespace tagging {

// A name the rules read two ways in one document ("the Dyn attack",
// "Dyn, the company") takes the reading most of its mentions have; on a
// tie, the first kind in Kind's order. The lists' names do not vote and
// are not changed.
void voteReadings(EntityTagger::Context &cx)
{
    std::unordered_map<std::u16string, std::map<Kind, int>> votes;
    for (const Span &s : cx.spans)
        if (!s.fromGazetteer && !s.type.empty() && s.kind != Kind::Block && s.kind != Kind::None)
            ++votes[cx.key(s.begin, s.end)][s.kind];
    for (Span &s : cx.spans) {
        if (s.fromGazetteer || s.type.empty() || s.kind == Kind::Block || s.kind == Kind::None)
            continue;
        const auto &v = votes[cx.key(s.begin, s.end)];
        if (v.size() < 2)
            continue;
        Kind best = s.kind;
        int bestVotes = 0;
        for (const auto &[kind, count] : v)
            if (count > bestVotes) {
                best = kind;
                bestVotes = count;
            }
        s.kind = best;
        s.type = std::string(kindName(best));
    }
}

} // namespace tagging

} // namespace lede
