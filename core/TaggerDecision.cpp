// The tagger's decision pass: the rules that read each capitalised run
// the lists left open, first the run as a whole, then each free stretch
// in it by the cues around it.
#include "core/TaggerContext.h"

namespace lede {

namespace tagging {

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

    // Code names: "Operation Aurora", "Operation Olympic Games".
    if (!inHeadline && e - b >= 2 && cx.owner[b] < 0 && cx.fold(b) == u"operation" && tokens[b].has(Token::Capitalized)) {
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
        if (cx.is(lastWord, W::Legal) && end < n && cx.isChar(end, u'.') && !tokens[end].has(Token::SpaceBefore))
            ++end; // "Corp."
        cx.clear(b, end);
        cx.add({static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(end), Kind::Company, "COMPANY", {}, false},
               cx.is(lastWord, W::Legal) ? "rule:legal-suffix" : "rule:company-head");
        return true;
    }
    return false;
}

StretchCues stretchCues(const EntityTagger::Context &cx, std::size_t s, std::size_t t, bool titledInside)
{
    const std::vector<Token> &tokens = cx.tokens;
    const std::size_t n = tokens.size();
    int words = 0;
    for (std::size_t x = s; x < t; ++x)
        words += tokens[x].has(Token::Word) && !cx.is(x, W::Connector) && !cx.isChar(x, u'-');

    // What precedes: a title ("Mr.", "President"), a lower-case role
    // noun, "said"; what follows: a speech verb, an apposition.
    const std::ptrdiff_t p = static_cast<std::ptrdiff_t>(s) - 1;
    std::ptrdiff_t pw = p;
    if (pw >= 0 && cx.isChar(static_cast<std::size_t>(pw), u'.'))
        --pw;
    const bool titled = titledInside
        || (pw >= 0 && cx.is(static_cast<std::size_t>(pw), W::Title)
            && tokens[static_cast<std::size_t>(pw)].has(Token::Capitalized));
    const std::ptrdiff_t rw = pw >= 1 && cx.isChar(static_cast<std::size_t>(pw), u',') ? pw - 1 : pw;
    const bool roleBefore = rw >= 0 && !tokens[static_cast<std::size_t>(rw)].has(Token::Capitalized)
        && cx.is(static_cast<std::size_t>(rw), W::Role);
    const bool saidBefore = p >= 0 && cx.is(static_cast<std::size_t>(p), W::Speech);
    const bool companyNounBefore = p >= 0 && !tokens[static_cast<std::size_t>(p)].has(Token::Capitalized)
        && cx.is(static_cast<std::size_t>(p), W::CompanyNoun);
    const bool givenFirst = cx.is(s, W::Given);
    const bool speechAfter = t < n && (cx.is(t, W::Speech) || (cx.isChar(t, u',') && cx.is(t + 1, W::Speech)));
    const bool operationName = cx.fold(s) == u"operation" && words >= 2;
    // "the Trump administration", "the Obama White House" era names.
    const bool administration = t < n && !tokens[t].has(Token::Capitalized)
        && (cx.fold(t) == u"administration" || cx.fold(t) == u"presidency");

    // Apposition: ", the president of Microsoft", ", a Russian firm",
    // ", Cisco’s general counsel", ", chief executive of X", ", 45,".
    // A role noun anywhere in it makes a person; otherwise a company
    // noun a company and an organisation head an organisation. Nouns
    // used as possessives ("the company's president") only modify.
    bool appositionPerson = false;
    bool appositionCompany = false;
    bool appositionOrg = false;
    bool appositionAttack = false;
    bool appositionProduct = false;
    if (t + 1 < n && cx.isChar(t, u',')) {
        if (tokens[t + 1].has(Token::HasDigit) && cx.isChar(t + 2, u','))
            appositionPerson = true;
        const bool opens = cx.is(t + 1, W::AppositionStart) || cx.owner[t + 1] >= 0
            || (cx.is(t + 1, W::Role) && !tokens[t + 1].has(Token::Capitalized))
            || (tokens[t + 1].has(Token::Capitalized) && t + 2 < n && tokens[t + 2].has(Token::Possessive));
        for (std::size_t x = t + 1; opens && x < std::min(n, t + 9); ++x) {
            if (cx.isChar(x, u',') || cx.isChar(x, u'.') || cx.isChar(x, u';') || cx.isChar(x, u'(')
                || cx.is(x, W::Speech))
                break;
            if (tokens[x].has(Token::Capitalized) || (x + 1 < n && tokens[x + 1].has(Token::Possessive)))
                continue;
            if (cx.is(x, W::Product))
                appositionProduct = true;
            if (cx.is(x, W::AttackStrong))
                appositionAttack = true;
            if (cx.is(x, W::Role))
                appositionPerson = true;
            else if (cx.is(x, W::CompanyNoun) && !appositionOrg)
                appositionCompany = true;
            else if (cx.is(x, W::OrgHead) && !appositionCompany)
                appositionOrg = true;
        }
        if (appositionAttack)
            appositionProduct = false;
        if (appositionPerson || appositionAttack || appositionProduct)
            appositionCompany = appositionOrg = false;
        if (appositionProduct)
            appositionPerson = appositionAttack = false;
    }
    // Definitions: "Industroyer is a malware framework", "Nashi was a
    // youth movement", "Vexcel is a Russian firm".
    if (t + 2 < n && (cx.fold(t) == u"is" || cx.fold(t) == u"was") && cx.is(t + 1, W::AppositionStart)) {
        bool person = false, attack = false, company = false, org = false, product = false;
        for (std::size_t x = t + 2; x < std::min(n, t + 9); ++x) {
            if (cx.isChar(x, u',') || cx.isChar(x, u'.') || cx.isChar(x, u';') || cx.fold(x) == u"that"
                || cx.fold(x) == u"which" || cx.fold(x) == u"who")
                break;
            if (tokens[x].has(Token::Capitalized) || (x + 1 < n && tokens[x + 1].has(Token::Possessive)))
                continue;
            product = product || cx.is(x, W::Product);
            attack = attack || cx.is(x, W::AttackStrong);
            person = person || cx.is(x, W::Role);
            company = company || cx.is(x, W::CompanyNoun);
            org = org || cx.is(x, W::OrgHead);
        }
        // "a malware framework" is malware; "a network management
        // product" is not an organisation.
        if (attack)
            product = false;
        if (!product) {
            appositionAttack = appositionAttack || attack;
            appositionPerson = appositionPerson || (person && !attack);
            appositionCompany = appositionCompany || (company && !person && !attack);
            appositionOrg = appositionOrg || (org && !company && !person && !attack);
        }
    }
    const bool whoAfter = t + 1 < n && cx.isChar(t, u',') && cx.fold(t + 1) == u"who";

    // A category noun in lower case right before the name, past a
    // quote and list openers: "the hacker group Sandworm", "the
    // malware “Crashoverride”", "two foreign firms, Telefónica",
    // "companies such as Acme". Bare company nouns ("the firm Acme")
    // are companyNounBefore's.
    Kind nounBefore = Kind::None;
    {
        std::ptrdiff_t x = p;
        if (x >= 0 && isOpeningQuote(cx, static_cast<std::size_t>(x)))
            --x;
        int skipped = 0;
        while (x >= 0 && skipped < 3 && (cx.isChar(static_cast<std::size_t>(x), u',') || isListOpener(cx.fold(static_cast<std::size_t>(x))))) {
            --x;
            ++skipped;
        }
        if (x >= 0 && !tokens[static_cast<std::size_t>(x)].has(Token::Capitalized)) {
            const auto ux = static_cast<std::size_t>(x);
            const std::u16string_view f = cx.fold(ux);
            if (isGroupNoun(f))
                nounBefore = Kind::Organization;
            else if (isMalwareNoun(f))
                nounBefore = Kind::Attack;
            else if (skipped > 0 && cx.is(ux, W::CompanyNoun) && !f.empty() && f.back() == u's')
                nounBefore = Kind::Company;
        }
    }
    // "the Sandworm group", "the “Fancy Bear” group".
    bool groupAfter = false;
    {
        std::size_t x = t;
        if (x < n && isClosingQuote(cx, x))
            ++x;
        groupAfter = x < n && !tokens[x].has(Token::Capitalized) && (cx.fold(x) == u"group" || cx.fold(x) == u"gang");
    }
    // A name spelled out before its initials, "Democratic National
    // Committee (DNC)", is an organisation's; the initials in the
    // brackets are the same entity's, of the kind the name has.
    const bool spelledOut = t + 2 < n && cx.isChar(t, u'(') && tokens[t + 1].has(Token::AllUpper)
        && cx.isChar(t + 2, u')') && words >= 2 && initialsMatch(cx, s, t, t + 1);
    Kind initialsOf = Kind::None;
    std::string initialsCanonical;
    if (words == 1 && s >= 2 && cx.isChar(s - 1, u'(') && t < n && cx.isChar(t, u')') && tokens[s].has(Token::AllUpper)
        && cx.owner[s - 2] >= 0) {
        const Span &named = cx.spans[static_cast<std::size_t>(cx.owner[s - 2])];
        if (named.kind != Kind::None && named.kind != Kind::Block && named.end == s - 1
            && initialsMatch(cx, named.begin, named.end, s)) {
            initialsOf = named.kind;
            initialsCanonical = named.canonical.empty() ? cx.surfaceUtf8(named.begin, named.end) : named.canonical;
        }
    }
    // Another name of the same thing in brackets: "iSight Partners
    // (now Mandiant)", "Mandiant (or FireEye)", "(formerly Acme)".
    Kind bracketedOf = Kind::None;
    if (words <= 3 && s >= 3 && t < n && cx.isChar(t, u')') && cx.isChar(s - 2, u'(') && cx.owner[s - 3] >= 0) {
        const std::u16string_view cue = cx.fold(s - 1);
        const Span &named = cx.spans[static_cast<std::size_t>(cx.owner[s - 3])];
        if ((cue == u"now" || cue == u"formerly" || cue == u"previously" || cue == u"or" || cue == u"later")
            && named.end == s - 2 && named.kind != Kind::None && named.kind != Kind::Block
            && named.kind != Kind::Nation)
            bracketedOf = named.kind;
    }

    bool attackCue = false;
    bool codeNamed = false;
    if (t < n && !tokens[t].has(Token::Capitalized)) {
        if (cx.is(t, W::AttackStrong))
            attackCue = true;
        else if (cx.is(t, W::AttackWeak) && words == 1 && !givenFirst)
            attackCue = true;
    }
    // "a worm called Conficker", "malware dubbed Triton"
    if (p >= 1) {
        const std::u16string_view pf = cx.fold(static_cast<std::size_t>(p));
        const bool codeName = pf == u"codenamed" || (pf == u"named" && p >= 2 && cx.isChar(static_cast<std::size_t>(p) - 1, u'-')
                                                      && cx.fold(static_cast<std::size_t>(p) - 2) == u"code");
        if (codeName)
            codeNamed = true;
        const bool naming = pf == u"called" || pf == u"dubbed" || pf == u"named" || pf == u"nicknamed"
            || (pf == u"as" && p >= 2 && cx.fold(static_cast<std::size_t>(p) - 1) == u"known");
        if (naming) {
            for (std::ptrdiff_t x = p - 1; x >= std::max<std::ptrdiff_t>(0, p - 5); --x) {
                if (cx.is(static_cast<std::size_t>(x), W::AttackStrong)
                    || cx.is(static_cast<std::size_t>(x), W::AttackWeak)) {
                    attackCue = true;
                    break;
                }
            }
        }
    }

    // Heads and common words do not make a person's name: "Office"
    // after "Foreign", "Security" after a title.
    bool nameLike = true;
    bool headLike = false;
    bool allCommon = true;
    for (std::size_t x = s; x < t; ++x) {
        if (cx.is(x, W::OrgHead | W::CompanyHead))
            headLike = true;
        if (headLike || (words == 1 && cx.is(x, W::Common)))
            nameLike = false;
        if (tokens[x].has(Token::Word) && !cx.is(x, W::Common | W::Connector))
            allCommon = false;
    }

    StretchCues c;
    c.words = words;
    c.titled = titled;
    c.roleBefore = roleBefore;
    c.saidBefore = saidBefore;
    c.companyNounBefore = companyNounBefore;
    c.givenFirst = givenFirst;
    c.speechAfter = speechAfter;
    c.operationName = operationName;
    c.administration = administration;
    c.appositionPerson = appositionPerson;
    c.appositionCompany = appositionCompany;
    c.appositionOrg = appositionOrg;
    c.appositionAttack = appositionAttack;
    c.whoAfter = whoAfter;
    c.nounBefore = nounBefore;
    c.groupAfter = groupAfter;
    c.spelledOut = spelledOut;
    c.initialsOf = initialsOf;
    c.initialsCanonical = std::move(initialsCanonical);
    c.bracketedOf = bracketedOf;
    c.attackCue = attackCue;
    c.codeNamed = codeNamed;
    c.nameLike = nameLike;
    c.headLike = headLike;
    c.allCommon = allCommon;
    return c;
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
            // "FBI Director Christopher Wray") are not part of the name.
            bool titledInside = false;
            while (s < t && (cx.is(s, W::Connector) || cx.is(s, W::Title) || cx.isChar(s, u'.'))) {
                titledInside = titledInside || cx.is(s, W::Title);
                ++s;
            }
            while (t > s && cx.is(t - 1, W::Connector))
                --t;
            if (s >= t || inHeadline)
                continue;
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
