// The tagger's decision pass: the rules that read each capitalised run
// the lists left open, first the run as a whole, then each free stretch
// in it by its cues (TaggerCues.cpp).
#include "core/nlp/TaggerContext.h"

namespace lede {

namespace tagging {

namespace {

// Legal suffixes written with a full stop of their own ("Corp.", "Inc.");
// after the others ("LLC", "PLC", "GmbH") a full stop ends the sentence.
bool isAbbreviatedSuffix(std::u16string_view f)
{
    return f == u"inc" || f == u"corp" || f == u"co" || f == u"ltd" || f == u"bros";
}

} // namespace

bool readWholeRun(EntityTagger::Context &cx, std::size_t b, std::size_t e)
{
    const std::vector<Token> &tokens = cx.tokens;
    const std::size_t n = tokens.size();
    bool hasUnknown = false;
    int units = 0;
    for (std::size_t k = b; k < e;) {
        ++units;
        if (cx.owner[k] >= 0) {
            k = cx.spans[static_cast<std::size_t>(cx.owner[k])].end;
        } else {
            if (tokens[k].has(Token::Word) && !cx.is(k, W::Connector))
                hasUnknown = true;
            ++k;
        }
    }
    const bool inHeadline = cx.headline[b];
    const std::size_t last = e - 1;
    std::size_t lastWord = last;
    if (cx.isChar(lastWord, u'.') && lastWord > b)
        --lastWord;

    bool anyOrgHead = false;
    for (std::size_t k = b; k < e; ++k)
        if (cx.owner[k] < 0 && cx.is(k, W::OrgHead) && k > b)
            anyOrgHead = true;
    // A nation named right before an organisation's descriptive name
    // belongs to it: "United States Department of Justice", "U.S.
    // Cyber Command"; not before a proper name ("Russian GRU").
    if (!anyOrgHead && cx.owner[b] >= 0) {
        const Span &first = cx.spans[static_cast<std::size_t>(cx.owner[b])];
        const std::size_t next = first.end;
        if (first.kind == Kind::Nation && next < e && cx.owner[next] >= 0) {
            const Span &second = cx.spans[static_cast<std::size_t>(cx.owner[next])];
            if (second.kind == Kind::Organization && second.end == e && cx.is(next, W::Common | W::Title | W::OrgHead))
                anyOrgHead = true;
        }
    }

    // A bank of a name no list holds is a company's ("Silicon Valley
    // Bank"), unless it is a nation's or the nations' ("Swiss National
    // Bank", "European Central Bank", "Asian Development Bank").
    if (!inHeadline && anyOrgHead && hasUnknown && e - b >= 2 && e - b <= 5 && cx.owner[lastWord] < 0
        && cx.fold(lastWord) == u"bank" && cx.owner[b] < 0 && !cx.is(b, W::Title)) {
        bool commercial = true;
        for (std::size_t k = b; k < lastWord && commercial; ++k) {
            const std::u16string_view f = cx.fold(k);
            commercial = cx.owner[k] < 0 && !cx.is(k, W::OrgHead) && f != u"central" && f != u"world"
                && f != u"development" && f != u"reserve" && f != u"federal" && f != u"national" && f != u"investment"
                && f != u"export" && f != u"import" && f != u"export-import" && f != u"settlements" && f != u"people";
        }
        if (commercial) {
            cx.clear(b, e);
            cx.add({static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e), Kind::Company, "COMPANY", {}, false},
                   "rule:company-head");
            return true;
        }
    }
    // An organisation's full name, nation and all: "United States
    // Department of Justice", "Russian State Duma".
    if (!inHeadline && anyOrgHead && (hasUnknown || units > 1) && e - b <= 12) {
        cx.clear(b, e);
        cx.add({static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e), Kind::Organization, "ORGANIZATION", {}, false},
               "rule:organization-head");
        return true;
    }
    if (!hasUnknown)
        return true;

    // Code names: "Operation Aurora", "Operation Olympic Games"; not the
    // word twice over.
    if (!inHeadline && e - b >= 2 && cx.owner[b] < 0 && cx.fold(b) == u"operation" && cx.fold(b + 1) != u"operation"
        && tokens[b].has(Token::Capitalized)) {
        cx.clear(b, e);
        cx.add({static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e), Kind::Attack, "ATTACK", {}, false},
               "rule:operation");
        return true;
    }

    // A code name is never a company, whatever its last word:
    // "code-named Olympic Games".
    bool namedBefore = false;
    if (b >= 1) {
        const std::u16string_view pf = cx.fold(b - 1);
        namedBefore = pf == u"codenamed" || pf == u"dubbed" || pf == u"called" || pf == u"named"
            || (cx.isChar(b - 1, u'\u201c') && b >= 2 && (cx.fold(b - 2) == u"named" || cx.fold(b - 2) == u"dubbed"));
    }

    // Company by suffix or head: "Juniper Systems", "Acme Corp."
    if (!inHeadline && !namedBefore && e - b >= 2 && cx.owner[lastWord] < 0 && cx.is(lastWord, W::CompanyHead)) {
        std::size_t end = e;
        if (cx.is(lastWord, W::Legal) && end < n && cx.isChar(end, u'.') && !tokens[end].has(Token::SpaceBefore)
            && isAbbreviatedSuffix(cx.fold(lastWord)))
            ++end; // "Corp.", not the full stop after "LLC"
        cx.clear(b, end);
        cx.add({static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(end), Kind::Company, "COMPANY", {}, false},
               cx.is(lastWord, W::Legal) ? "rule:legal-suffix" : "rule:company-head");
        return true;
    }
    return false;
}

Reading readStretch(const EntityTagger::Context &cx, std::size_t s, std::size_t t, const StretchCues &c)
{
    Kind kind = Kind::None;
    bool givenNamesOnly = false;
    std::string canonical; // empty: the surface
    const char *why = nullptr; // the rule that decided (TaggedSpan::provenance)
    auto decide = [&](Kind k, const char *rule) {
        kind = k;
        why = rule;
    };
    if (c.operationName)
        decide(Kind::Attack, "rule:operation");
    else if (c.titled && c.words <= 4 && !c.headLike)
        decide(Kind::Person, "rule:title"); // "Mr. Cook": a title outweighs a common word
    else if (c.administration && c.words == 1 && !c.headLike)
        decide(Kind::Person, "rule:administration");
    else if ((c.attackCue || (c.appositionAttack && !c.appositionPerson)) && c.words <= 2)
        decide(Kind::Attack, "rule:attack-cue");
    else if (c.codeNamed && c.words <= 4)
        decide(Kind::Attack, "rule:code-name");
    else if (c.initialsOf != Kind::None) {
        decide(c.initialsOf, "rule:initials");
        canonical = c.initialsCanonical;
    }
    else if (c.bracketedOf != Kind::None)
        decide(c.bracketedOf, "rule:bracketed-name");
    else if (c.nounBefore == Kind::Attack && c.words <= 2)
        decide(Kind::Attack, "rule:category-noun");
    else if ((c.nounBefore == Kind::Organization || c.groupAfter) && c.words <= 3 && !c.titled)
        decide(Kind::Organization, "rule:category-noun");
    else if (c.nounBefore == Kind::Company && c.words <= 3)
        decide(Kind::Company, "rule:category-noun");
    else if (c.companyNounBefore && c.words <= 3)
        decide(Kind::Company, "rule:category-noun");
    else if (c.companyCue && c.words <= 3 && !c.givenFirst)
        decide(Kind::Company, "rule:company-cue");
    else if (c.appositionCompany && c.words <= 3)
        decide(Kind::Company, "rule:apposition");
    else if (c.appositionOrg && c.words <= 4 && !c.givenFirst)
        decide(Kind::Organization, "rule:apposition");
    else if (c.givenFirst && c.words >= 2 && c.words <= 4 && c.nameLike) {
        decide(Kind::Person, "rule:given-name");
        givenNamesOnly = !c.titled && !c.roleBefore && !c.saidBefore && !c.speechAfter && !c.appositionPerson && !c.whoAfter;
        for (std::size_t x = s; x < t && givenNamesOnly; ++x)
            givenNamesOnly = !cx.isWord(x) || cx.is(x, W::Given);
    }
    else if ((c.roleBefore || c.saidBefore || c.speechAfter || c.appositionPerson || c.whoAfter) && c.words >= 2 && c.words <= 4
             && c.nameLike && !c.allCommon)
        decide(Kind::Person, "rule:person-context");
    else if (c.spelledOut)
        decide(Kind::Organization, "rule:spelled-out");
    return {kind, givenNamesOnly ? "rule:given-names-only" : why, std::move(canonical), givenNamesOnly};
}

void decideRuns(EntityTagger::Context &cx, const std::vector<EntityTagger::Run> &runs)
{
    for (const EntityTagger::Run &run : runs) {
        const std::size_t b = run.begin;
        std::size_t e = run.end;
        // A trailing connector never ends a name.
        while (e > b && cx.owner[e - 1] < 0 && cx.is(e - 1, W::Connector))
            --e;
        if (e <= b || readWholeRun(cx, b, e))
            continue;
        const bool inHeadline = cx.headline[b];
        // Unknown stretches inside the run, classified by their context.
        for (std::size_t k = b; k < e;) {
            if (cx.owner[k] >= 0) {
                k = cx.spans[static_cast<std::size_t>(cx.owner[k])].end;
                continue;
            }
            std::size_t s = k;
            std::size_t t = k;
            while (t < e && cx.owner[t] < 0)
                ++t;
            k = t;
            // Leading titles inside a run ("U.S. Attorney Scott Brady",
            // "FBI Director Christopher Wray", "Assistant Attorney General
            // John Demers") are not part of the name.
            bool titledInside = false;
            // "Special Agent in Charge Robert Tripp": the title's "in" is no
            // connector, so its last word opens the run.
            if (s + 1 < t && s >= 2 && cx.fold(s) == u"charge" && cx.fold(s - 1) == u"in" && cx.is(s - 2, W::Title)) {
                ++s;
                titledInside = true;
            }
            while (s < t && (cx.is(s, W::Connector) || cx.is(s, W::Title) || cx.isChar(s, u'.')
                             || (cx.is(s, W::TitleModifier) && s + 1 < t && cx.is(s + 1, W::Title)))) {
                titledInside = titledInside || cx.is(s, W::Title);
                ++s;
            }
            while (t > s && cx.is(t - 1, W::Connector))
                --t;
            if (s >= t || inHeadline)
                continue;
            // A given name before a one-word nation that ends the run is a
            // person's full name: "Lisa Monaco", "Deputy Attorney General
            // Lisa Monaco".
            if (t == k && t < e && t + 1 == e && cx.is(t - 1, W::Given) && !cx.is(s, W::Title)) {
                const Span &next = cx.spans[static_cast<std::size_t>(cx.owner[t])];
                if (next.kind == Kind::Nation && next.begin == t && next.end == t + 1
                    && !cx.tokens[t].has(Token::AllUpper)) {
                    cx.clear(t, t + 1);
                    ++t;
                    k = t;
                }
            }
            Reading r = readStretch(cx, s, t, stretchCues(cx, s, t, titledInside));
            if (r.kind == Kind::None)
                continue;
            cx.add({static_cast<std::uint32_t>(s), static_cast<std::uint32_t>(t), r.kind, std::string(kindName(r.kind)),
                    std::move(r.canonical), false, r.givenNamesOnly},
                   r.rule);
        }
    }
}

} // namespace tagging

} // namespace lede
