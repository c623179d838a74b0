// The tagger's propagation passes: alias cues, lists of names that share
// a type, and nations' names used as something else.
#include "core/nlp/TaggerContext.h"

namespace lede {

// "Conficker, also known as Downup, Downadup and Kido": the names after
// an alias cue are the same entity as the name before it.
void EntityTagger::propagateAliases(Context &cx)
{
    const std::size_t n = cx.tokens.size();
    const std::size_t count = cx.spans.size();
    for (std::size_t si = 0; si < count; ++si) {
        const Span head = cx.spans[si];
        if (head.type.empty() || head.kind == Kind::Block || head.kind == Kind::None)
            continue;
        std::size_t i = head.end;
        if (i < n && (cx.isChar(i, u',') || cx.isChar(i, u'(')))
            ++i;
        auto word = [&](std::size_t k, const char16_t *w) { return k < n && cx.fold(k) == w; };
        if (word(i, u"also"))
            ++i;
        if (word(i, u"known") && word(i + 1, u"as"))
            i += 2;
        else if (word(i, u"referred") && word(i + 1, u"to") && word(i + 2, u"as"))
            i += 3;
        else if (word(i, u"called") || word(i, u"aka") || word(i, u"dubbed"))
            i += 1;
        else
            continue;
        const std::string canonical = head.canonical.empty() ? cx.surfaceUtf8(head.begin, head.end) : head.canonical;
        // A list of names: Name (, Name)* ((,) and|or Name)?
        while (i < n) {
            if (cx.isChar(i, u'\u201c') || cx.isChar(i, u'"'))
                ++i;
            // A name the rules already read is relinked to the entity.
            if (cx.owner[i] >= 0) {
                Span &named = cx.spans[static_cast<std::size_t>(cx.owner[i])];
                if (named.begin != i || named.fromGazetteer || named.kind != head.kind)
                    break;
                named.canonical = canonical;
                i = named.end;
            } else {
                std::size_t j = i;
                while (j < n && cx.owner[j] < 0
                       && (cx.isNameWord(j, j > i)
                           || (j > i && cx.is(j, W::Connector) && j + 1 < n && cx.isNameWord(j + 1, true))))
                    ++j;
                if (j == i)
                    break;
                cx.add({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j), head.kind, head.type, canonical, false},
                       "rule:also-known-as");
                i = j;
            }
            if (i < n && (cx.isChar(i, u'\u201d') || cx.isChar(i, u'"')))
                ++i;
            if (i < n && cx.isChar(i, u','))
                ++i;
            if (i < n && (cx.fold(i) == u"and" || cx.fold(i) == u"or"))
                ++i;
        }
    }
}

// Nationality words naming a currency or a language are not nations:
// "US$81 million", "US dollars", "the German term", "an English word".
void EntityTagger::dropNonNationUses(Context &cx)
{
    const std::size_t n = cx.tokens.size();
    for (Span &s : cx.spans) {
        if (s.kind != Kind::Nation || s.type.empty())
            continue;
        const std::size_t next = s.end;
        if (next >= n)
            continue;
        const bool tight = !cx.tokens[next].has(Token::SpaceBefore);
        const std::u16string_view w = cx.fold(next);
        const bool currency = (tight && (cx.isChar(next, u'$') || w == u"$")) || w == u"dollar" || w == u"dollars"
            || w == u"cents" || w == u"pounds" || w == u"pound" || w == u"rubles" || w == u"roubles" || w == u"yuan"
            || w == u"yen" || w == u"francs" || w == u"rupees" || w == u"won";
        const bool language = w == u"term" || w == u"terms" || w == u"word" || w == u"words" || w == u"language"
            || w == u"phrase" || w == u"translation" || w == u"spelling" || w == u"pronunciation" || w == u"speakers"
            || w == u"text" || w == u"version" || w == u"dialect" || w == u"name" || w == u"slang"
            || w == u"expression" || w == u"accent" || w == u"alphabet" || w == u"grammar";
        if (currency || language) {
            for (std::uint32_t k = s.begin; k < s.end; ++k)
                cx.owner[k] = -1;
            s.kind = Kind::None;
            s.type.clear();
        }
    }
}

// Names coordinated in one list are of one kind: "Google, Apple and
// Amazon", "after Stuxnet, Havex and BlackEnergy". When the typed names of
// a list agree, the untyped ones take their type.
void EntityTagger::propagateLists(Context &cx, const std::vector<Run> &runs)
{
    const std::size_t n = cx.tokens.size();
    auto separatorBetween = [&](std::size_t from, std::size_t to, bool &conjunction) {
        // Only ",", "and", "or", ", and", ", or" or a dash separate items.
        conjunction = false;
        if (to <= from || to - from > 2)
            return false;
        for (std::size_t k = from; k < to; ++k) {
            if (cx.fold(k) == u"and" || cx.fold(k) == u"or")
                conjunction = true;
            else if (!cx.isChar(k, u',') && !cx.isChar(k, u'\u2014'))
                return false;
        }
        return true;
    };
    std::size_t r = 0;
    while (r < runs.size()) {
        std::size_t last = r;
        bool sawConjunction = false;
        while (last + 1 < runs.size()) {
            bool conj = false;
            if (!separatorBetween(runs[last].end, runs[last + 1].begin, conj))
                break;
            sawConjunction = sawConjunction || conj;
            ++last;
        }
        if (last > r && sawConjunction) {
            std::optional<Kind> kind;
            std::string type;
            bool agree = true;
            int typed = 0;
            for (std::size_t k = r; k <= last; ++k) {
                const Span *sp = spanOver(cx, runs[k].begin, runs[k].end);
                if (!sp || sp->givenNamesOnly)
                    continue;
                ++typed;
                if (kind && *kind != sp->kind)
                    agree = false;
                kind = sp->kind;
                type = sp->type;
            }
            // No typed item: the words just before may say what the list
            // is of: "companies that signed are A, B, C and D", "worms such
            // as A and B". Only plural category nouns close by count.
            if (!kind && last - r >= 1) {
                bool company = false, attack = false;
                std::size_t x = runs[r].begin;
                for (std::size_t steps = 0; x > 0 && steps < 8; ++steps) {
                    --x;
                    if (cx.tokens[x].has(Token::SentenceStart) || cx.isChar(x, u'.'))
                        break;
                    const std::u16string_view f = cx.fold(x);
                    if (f == u"companies" || f == u"firms" || f == u"corporations" || f == u"vendors"
                        || f == u"signatories" || f == u"businesses" || f == u"manufacturers" || f == u"providers")
                        company = true;
                    if (f == u"worms" || f == u"viruses" || f == u"trojans" || f == u"botnets" || f == u"exploits"
                        || f == u"wipers" || f == u"strains" || f == u"variants")
                        attack = true;
                    if (cx.tokens[x].has(Token::SentenceStart))
                        break;
                }
                if (company != attack) {
                    kind = company ? Kind::Company : Kind::Attack;
                    type = company ? "COMPANY" : "ATTACK";
                }
            }
            // Nations are all in the gazetteer; a list of them next to a
            // city ("Russia and Moscow") must not make the city a nation.
            if (kind && agree && *kind != Kind::Block && *kind != Kind::None && *kind != Kind::Nation) {
                for (std::size_t k = r; k <= last; ++k) {
                    const std::size_t b = runs[k].begin, e = runs[k].end;
                    // "Symantec, Northrop Grumman, Morgan Stanley and Dow
                    // Chemical": given names alone yield to two or more
                    // names of one other kind.
                    if (const Span *sp = spanOver(cx, b, e); sp && sp->givenNamesOnly && typed >= 2 && *kind != Kind::Person)
                        cx.clear(b, e);
                    if (!cx.free(b, e) || cx.headline[b])
                        continue;
                    // A place before the list ("In Washington, Microsoft and
                    // Google …") is not one of its items.
                    if (k == r && b > 0 && (cx.fold(b - 1) == u"in" || cx.fold(b - 1) == u"at" || cx.fold(b - 1) == u"from"))
                        continue;
                    bool allCommon = true;
                    for (std::size_t x = b; x < e; ++x)
                        if (cx.tokens[x].has(Token::Word) && !cx.is(x, W::Common | W::Connector))
                            allCommon = false;
                    if (allCommon || e - b > 5)
                        continue;
                    cx.add({static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e), *kind, type, {}, false}, "rule:list");
                }
            }
        }
        r = last + 1;
    }
    (void)n;
}

} // namespace lede
