#include "core/EntityTagger.h"

#include "core/EmbeddedResources.h"
#include "core/TaggerContext.h"
#include "core/Text.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace lede {

Result<std::unique_ptr<EntityTagger>> EntityTagger::createDefault()
{
    Gazetteer gazetteer;
    if (auto st = gazetteer.loadTsv(resources::gazetteerTsv()); !st)
        return st.error();
    auto lines = [](std::string_view list) {
        std::vector<std::string> out;
        std::size_t pos = 0;
        while (pos < list.size()) {
            std::size_t nl = list.find('\n', pos);
            if (nl == std::string_view::npos)
                nl = list.size();
            const std::string_view line = text::trim(list.substr(pos, nl - pos));
            if (!line.empty() && line[0] != '#')
                out.emplace_back(line);
            pos = nl + 1;
        }
        return out;
    };
    auto tagger = std::make_unique<EntityTagger>(std::move(gazetteer), lines(resources::givenNames()),
                                                 lines(resources::commonWords()));
    if (!modelSwitchedOff()) {
        auto model = builtInModel();
        if (!model)
            return model.error();
        tagger->setModel(*model);
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

std::vector<TaggedSpan> EntityTagger::tag(std::string_view utf8)
{
    const std::u16string text = text::toUtf16(utf8);
    const std::vector<Token> tokens = m_tokenizer.tokenize(text);
    const FoldedTokens folded(text, tokens);
    Context cx(text, tokens, folded);

    const std::size_t n = tokens.size();

    markHeadlines(cx);
    // 1. Gazetteer names, longest first, left to right.
    applyGazetteer(cx);

    // 2. Capitalised runs, each read by the rules below.
    const std::vector<Run> runs = buildRuns(cx);

    auto previousWord = [&](std::size_t i) -> std::ptrdiff_t { return static_cast<std::ptrdiff_t>(i) - 1; };

    for (const Run &run : runs) {
        std::size_t b = run.begin;
        std::size_t e = run.end;
        // A trailing connector never ends a name.
        while (e > b && cx.owner[e - 1] < 0 && cx.is(e - 1, W::Connector))
            --e;
        if (e <= b)
            continue;
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
            continue;
        }
        if (!hasUnknown)
            continue;

        // Code names: "Operation Aurora", "Operation Olympic Games".
        if (!inHeadline && e - b >= 2 && cx.owner[b] < 0 && cx.fold(b) == u"operation" && tokens[b].has(Token::Capitalized)) {
            cx.clear(b, e);
            cx.add({static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e), Kind::Attack, "ATTACK", {}, false},
                   "rule:operation");
            continue;
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
            continue;
        }

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

            int words = 0;
            for (std::size_t x = s; x < t; ++x)
                words += tokens[x].has(Token::Word) && !cx.is(x, W::Connector) && !cx.isChar(x, u'-');

            // What precedes: a title ("Mr.", "President"), a lower-case role
            // noun, "said"; what follows: a speech verb, an apposition.
            const std::ptrdiff_t p = previousWord(s);
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

            Kind kind = Kind::None;
            bool givenNamesOnly = false;
            std::string canonical; // empty: the surface
            const char *why = nullptr; // the rule that decided (TaggedSpan::provenance)
            auto decide = [&](Kind k, const char *rule) {
                kind = k;
                why = rule;
            };
            if (operationName)
                decide(Kind::Attack, "rule:operation");
            else if (titled && words <= 4 && !headLike)
                decide(Kind::Person, "rule:title"); // "Mr. Cook": a title outweighs a common word
            else if (administration && words == 1 && !headLike)
                decide(Kind::Person, "rule:administration");
            else if ((attackCue || (appositionAttack && !appositionPerson)) && words <= 2)
                decide(Kind::Attack, "rule:attack-cue");
            else if (codeNamed && words <= 4)
                decide(Kind::Attack, "rule:code-name");
            else if (initialsOf != Kind::None) {
                decide(initialsOf, "rule:initials");
                canonical = std::move(initialsCanonical);
            }
            else if (bracketedOf != Kind::None)
                decide(bracketedOf, "rule:bracketed-name");
            else if (nounBefore == Kind::Attack && words <= 2)
                decide(Kind::Attack, "rule:category-noun");
            else if ((nounBefore == Kind::Organization || groupAfter) && words <= 3 && !titled)
                decide(Kind::Organization, "rule:category-noun");
            else if (nounBefore == Kind::Company && words <= 3)
                decide(Kind::Company, "rule:category-noun");
            else if (companyNounBefore && words <= 3)
                decide(Kind::Company, "rule:category-noun");
            else if (appositionCompany && words <= 3)
                decide(Kind::Company, "rule:apposition");
            else if (appositionOrg && words <= 4 && !givenFirst)
                decide(Kind::Organization, "rule:apposition");
            else if (givenFirst && words >= 2 && words <= 4 && nameLike) {
                decide(Kind::Person, "rule:given-name");
                givenNamesOnly = !titled && !roleBefore && !saidBefore && !speechAfter && !appositionPerson && !whoAfter;
                for (std::size_t x = s; x < t && givenNamesOnly; ++x)
                    givenNamesOnly = !cx.isWord(x) || cx.is(x, W::Given);
            }
            else if ((roleBefore || saidBefore || speechAfter || appositionPerson || whoAfter) && words >= 2 && words <= 4
                     && nameLike && !allCommon)
                decide(Kind::Person, "rule:person-context");
            else if (spelledOut)
                decide(Kind::Organization, "rule:spelled-out");
            if (kind == Kind::None)
                continue;
            cx.add({static_cast<std::uint32_t>(s), static_cast<std::uint32_t>(t), kind, std::string(kindName(kind)),
                    std::move(canonical), false, givenNamesOnly},
                   givenNamesOnly ? "rule:given-names-only" : why);
        }
    }

    // A name the rules read two ways in one document ("the Dyn attack",
    // "Dyn, the company") takes the reading most of its mentions have.
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
