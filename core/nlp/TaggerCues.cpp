// The tagger's run features: what surrounds a stretch of a capitalised
// run, the cues the decision pass reads it by.
#include "core/nlp/TaggerContext.h"

namespace lede {

namespace tagging {

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
    // Words before a sentence's first word belong to another sentence, or
    // to a headline above it: "… online retailer\n\nWASHINGTON —".
    const bool opensSentence = tokens[s].has(Token::SentenceStart);
    const bool roleBefore = !opensSentence && rw >= 0 && !tokens[static_cast<std::size_t>(rw)].has(Token::Capitalized)
        && cx.is(static_cast<std::size_t>(rw), W::Role);
    // "…,” said Ivo Drenn", "…, says Ivo Drenn": the verb attributes a
    // quote. After a subject it opens a clause ("Prosecutors said Acme
    // Trading shipped…") and says nothing of the name.
    const bool saidBefore = !opensSentence && p >= 0 && cx.is(static_cast<std::size_t>(p), W::Speech)
        && (p == 0 || tokens[static_cast<std::size_t>(p)].has(Token::SentenceStart)
            || cx.isChar(static_cast<std::size_t>(p) - 1, u',') || isClosingQuote(cx, static_cast<std::size_t>(p) - 1)
            || cx.isChar(static_cast<std::size_t>(p) - 1, u'\u2014') || cx.isChar(static_cast<std::size_t>(p) - 1, u'-'));
    const bool companyNounBefore = !opensSentence && p >= 0 && !tokens[static_cast<std::size_t>(p)].has(Token::Capitalized)
        && cx.is(static_cast<std::size_t>(p), W::CompanyNoun);
    // "shares of Velmorant", "employees at Brightwave", "rival TastyCart",
    // "acquired Nuvio"; "Quorvy's chief executive", "Quorvy's shares",
    // "Drizly and its chief executive".
    bool companyCue = false;
    if (!opensSentence && p >= 0) {
        const auto up = static_cast<std::size_t>(p);
        const std::u16string_view pf = cx.fold(up);
        if (!tokens[up].has(Token::Capitalized) && cx.is(up, W::CompanyBefore))
            companyCue = true;
        else if (up >= 1 && (pf == u"of" || pf == u"at" || pf == u"in")
                 && (!tokens[up - 1].has(Token::Capitalized) || tokens[up - 1].has(Token::SentenceStart))
                 && cx.is(up - 1, W::CompanyCue)) {
            // "in" after a stake or shares only: "customers in Ohio" is a place.
            const std::u16string_view cue = cx.fold(up - 1);
            companyCue = pf != u"in" || cue == u"stake" || cue == u"shares" || cue == u"investors";
        }
    }
    // What the company has, after "'s" or "and its".
    std::size_t owned = n;
    if (t + 1 < n && tokens[t].has(Token::Possessive))
        owned = t + 1;
    else if (t + 2 < n && cx.fold(t) == u"and" && cx.fold(t + 1) == u"its")
        owned = t + 2;
    if (owned < n && !tokens[owned].has(Token::Capitalized)
        && (cx.is(owned, W::CompanyCue) || (cx.fold(owned) == u"chief" && owned + 1 < n && cx.fold(owned + 1) == u"executive")))
        companyCue = true;
    const bool givenFirst = cx.is(s, W::Given);
    // A place after a preposition is no speaker: "officials in San
    // Francisco said", "Wenbo Liang, 47, of San Jose, pleaded guilty".
    const bool afterPreposition = p >= 0 && !tokens[static_cast<std::size_t>(p)].has(Token::Capitalized)
        && (cx.fold(static_cast<std::size_t>(p)) == u"of" || cx.fold(static_cast<std::size_t>(p)) == u"in"
            || cx.fold(static_cast<std::size_t>(p)) == u"from" || cx.fold(static_cast<std::size_t>(p)) == u"near");
    const bool speechAfter = !afterPreposition && t < n
        && (cx.is(t, W::Speech) || (cx.isChar(t, u',') && cx.is(t + 1, W::Speech)));
    const bool operationName = cx.fold(s) == u"operation" && words >= 2 && cx.fold(s + 1) != u"operation";
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
        // ", then Assistant Secretary of State", ", now a senator": the
        // office someone held or holds.
        {
            const std::u16string_view when = cx.fold(t + 1);
            std::size_t x = t + 2;
            if (x < n && cx.is(x, W::AppositionStart))
                ++x;
            if ((when == u"then" || when == u"now" || when == u"formerly" || when == u"later") && x < n
                && (cx.is(x, W::Title) || cx.is(x, W::Role) || cx.is(x, W::TitleModifier)))
                appositionPerson = true;
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
        if (!opensSentence && x >= 0 && !tokens[static_cast<std::size_t>(x)].has(Token::Capitalized)) {
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
    c.companyCue = companyCue;
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

} // namespace tagging

} // namespace lede
