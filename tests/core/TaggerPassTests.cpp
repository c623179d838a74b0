// The tagger's passes one at a time, each on a context built as tag()
// builds it, with a small gazetteer of its own and no model.
#include "core/nlp/TaggerContext.h"
#include "core/text/Text.h"
#include "core/text/Tokenizer.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace lede;
using Passes = EntityTagger::Passes;

namespace {

EntityTagger passTagger()
{
    Gazetteer g;
    const char *tsv = "COMPANY\tMicrosoft\t\t\n"
                      "NATION\tUnited States\tU.S.|American\t\n"
                      "NATION\tRussia\tRussian\t\n"
                      "ATTACK\tNotPetya\t\t\n"
                      "ORGANIZATION\tGeneva Conventions\t\tnonentity\n";
    REQUIRE(g.loadTsv(tsv).ok());
    return EntityTagger(std::move(g), {"Ivo", "Marta"}, {"share", "later"});
}

Tokenizer &tokenizer()
{
    static Tokenizer t;
    return t;
}

// A text's context, as tag() has it before its first pass.
struct Prepared {
    std::u16string text;
    std::vector<Token> tokens;
    FoldedTokens folded;
    EntityTagger::Context cx;

    explicit Prepared(const std::string &utf8)
        : text(text::toUtf16(utf8)), tokens(tokenizer().tokenize(text)), folded(text, tokens), cx(text, tokens, folded)
    {
    }

    // The first token that reads `word`.
    std::size_t at(std::u16string_view word) const
    {
        for (std::size_t i = 0; i < tokens.size(); ++i)
            if (cx.surface(i) == word)
                return i;
        FAIL("no token reads the word");
        return 0;
    }

    // "surface|TYPE|provenance" for each live span, in text order.
    std::vector<std::string> spans()
    {
        std::vector<const Span *> live;
        for (const Span &s : cx.spans)
            if (!s.type.empty() && s.kind != Kind::Block)
                live.push_back(&s);
        std::sort(live.begin(), live.end(), [](const Span *a, const Span *b) { return a->begin < b->begin; });
        std::vector<std::string> out;
        for (const Span *s : live)
            out.push_back(cx.surfaceUtf8(s->begin, s->end) + "|" + s->type + "|" + s->provenance);
        return out;
    }
};

// Prepared with the headline and gazetteer passes run.
struct Listed : Prepared {
    Listed(EntityTagger &tagger, const std::string &utf8) : Prepared(utf8)
    {
        Passes::markHeadlines(cx);
        Passes::applyGazetteer(tagger, cx);
    }
};

// Listed, with runs built and the rules applied.
struct Decided : Listed {
    std::vector<EntityTagger::Run> runs;
    Decided(EntityTagger &tagger, const std::string &utf8) : Listed(tagger, utf8)
    {
        runs = Passes::buildRuns(cx);
        decideRuns(cx, runs);
    }
};

std::string runText(Prepared &p, const EntityTagger::Run &r) { return p.cx.surfaceUtf8(r.begin, r.end); }

} // namespace

TEST_CASE("headline pass marks title-case lines only", "[tagger][passes]")
{
    Prepared p("Hackers Strike Northwind Bank Again\n\nThe attack on Northwind began on Monday.\n");
    Passes::markHeadlines(p.cx);
    CHECK(p.cx.headline[p.at(u"Hackers")]);
    CHECK(p.cx.headline[p.at(u"Again")]);
    CHECK_FALSE(p.cx.headline[p.at(u"attack")]);
    CHECK_FALSE(p.cx.headline[p.at(u"began")]);

    // Capitalised words in a line that ends like a sentence are prose.
    Prepared prose("Officials Said That Northwind Was Hit.\n");
    Passes::markHeadlines(prose.cx);
    CHECK_FALSE(prose.cx.headline[prose.at(u"Northwind")]);
}

TEST_CASE("gazetteer pass takes the lists' names and the word classes", "[tagger][passes]")
{
    auto tagger = passTagger();
    Listed p(tagger, "Russian officials blamed NotPetya on them, Microsoft said 😀 under the Geneva Conventions.");
    CHECK(p.spans() == std::vector<std::string>{"Russian|NATION|gazetteer", "NotPetya|ATTACK|gazetteer",
                                                "Microsoft|COMPANY|gazetteer"});
    // A non-entity blocks its words without becoming a name.
    const std::size_t geneva = p.at(u"Geneva");
    REQUIRE(p.cx.owner[geneva] >= 0);
    CHECK(p.cx.spans[static_cast<std::size_t>(p.cx.owner[geneva])].kind == Kind::Block);
    // Word classes come from the lexicon: "said" is a speech verb.
    CHECK(p.cx.is(p.at(u"said"), W::Speech));
    CHECK_FALSE(p.cx.is(p.at(u"officials"), W::Speech));
}

TEST_CASE("run pass joins name words across connectors and initials", "[tagger][passes]")
{
    auto tagger = passTagger();
    Listed p(tagger, "Analysts at the Bank of Velmora and Edvard J. Tolland of the U.S. Office of Cyber Policy met.");
    std::vector<std::string> runs;
    for (const EntityTagger::Run &r : Passes::buildRuns(p.cx))
        runs.push_back(runText(p, r));
    CHECK(std::find(runs.begin(), runs.end(), "Bank of Velmora") != runs.end());
    CHECK(std::find(runs.begin(), runs.end(), "Edvard J. Tolland") != runs.end());
    CHECK(std::find(runs.begin(), runs.end(), "U.S. Office of Cyber Policy") != runs.end());
    // A sentence's first word, capitalised only for that, opens no run.
    for (const std::string &r : runs)
        CHECK(r.rfind("Analysts", 0) != 0);
}

TEST_CASE("decision pass reads whole runs by their heads", "[tagger][passes]")
{
    auto tagger = passTagger();
    SECTION("an organisation's full name, nation and all")
    {
        Decided p(tagger, "A report from the United States Department of Cyber Affairs followed.");
        CHECK(p.spans() == std::vector<std::string>{"United States Department of Cyber Affairs|ORGANIZATION|rule:organization-head"});
    }
    SECTION("a code name")
    {
        Decided p(tagger, "The campaign, known to them as Operation Glass Harbor, ran for months.");
        CHECK(p.spans() == std::vector<std::string>{"Operation Glass Harbor|ATTACK|rule:operation"});
    }
    SECTION("a legal suffix takes its full stop")
    {
        Decided p(tagger, "Shares of Quorvex Holdings Corp. rose.");
        CHECK(p.spans() == std::vector<std::string>{"Quorvex Holdings Corp.|COMPANY|rule:legal-suffix"});
    }
    SECTION("a run of list names alone is left as it is")
    {
        Listed p(tagger, "The Russian NotPetya outbreak spread.");
        const auto runs = Passes::buildRuns(p.cx);
        REQUIRE_FALSE(runs.empty());
        const std::vector<std::string> before = p.spans();
        CHECK(readWholeRun(p.cx, runs.front().begin, runs.front().end));
        CHECK(p.spans() == before);
    }
}

TEST_CASE("decision pass gathers the cues around a stretch", "[tagger][passes]")
{
    auto tagger = passTagger();
    auto cuesOf = [&](Listed &p, std::u16string_view first, std::size_t words) {
        const std::size_t s = p.at(first);
        return stretchCues(p.cx, s, s + words, false);
    };
    {
        Listed p(tagger, "\"We are ready,\" said Ivo Drenn on Monday.");
        const StretchCues c = cuesOf(p, u"Ivo", 2);
        CHECK(c.words == 2);
        CHECK(c.saidBefore);
        CHECK(c.givenFirst);
        CHECK_FALSE(c.titled);
    }
    {
        Listed p(tagger, "Lotte Varga, the chief executive of a lender, spoke.");
        const StretchCues c = cuesOf(p, u"Lotte", 2);
        CHECK(c.appositionPerson);
        CHECK_FALSE(c.appositionCompany);
    }
    {
        Listed p(tagger, "Researchers tied it to the hacker group Zelkova Spider last year.");
        CHECK(cuesOf(p, u"Zelkova", 2).nounBefore == Kind::Organization);
    }
    {
        Listed p(tagger, "It spread through a worm called Quillfire in May.");
        CHECK(cuesOf(p, u"Quillfire", 1).attackCue);
    }
    {
        Listed p(tagger, "The Velmora Trust Council (VTC) met in Riga.");
        CHECK(cuesOf(p, u"Velmora", 3).spelledOut);
    }
}

TEST_CASE("decision pass weighs the rules in order", "[tagger][passes]")
{
    auto tagger = passTagger();
    Listed p(tagger, "Ivo Marta met them.");
    const std::size_t s = p.at(u"Ivo");
    const std::size_t t = s + 2;

    StretchCues c;
    c.words = 2;
    CHECK(readStretch(p.cx, s, t, c).kind == Kind::None);

    // A title outweighs a company noun before.
    c.titled = true;
    c.companyNounBefore = true;
    Reading r = readStretch(p.cx, s, t, c);
    CHECK(r.kind == Kind::Person);
    CHECK(std::string(r.rule) == "rule:title");

    // A code name comes first of all.
    c.operationName = true;
    CHECK(readStretch(p.cx, s, t, c).kind == Kind::Attack);

    // An attack cue reads one or two words, not more.
    StretchCues attack;
    attack.attackCue = true;
    attack.words = 2;
    CHECK(readStretch(p.cx, s, t, attack).kind == Kind::Attack);
    attack.words = 3;
    CHECK(readStretch(p.cx, s, t, attack).kind == Kind::None);

    // Given names and nothing else to go on: a person, flagged as such.
    StretchCues given;
    given.words = 2;
    given.givenFirst = true;
    given.nameLike = true;
    r = readStretch(p.cx, s, t, given);
    CHECK(r.kind == Kind::Person);
    CHECK(r.givenNamesOnly);
    CHECK(std::string(r.rule) == "rule:given-names-only");
    given.speechAfter = true;
    r = readStretch(p.cx, s, t, given);
    CHECK_FALSE(r.givenNamesOnly);
    CHECK(std::string(r.rule) == "rule:given-name");
}

TEST_CASE("decision pass reads stretches in running text", "[tagger][passes]")
{
    auto tagger = passTagger();
    Decided p(tagger, "Mr. Osric Vell of Microsoft said the firm Halvard Brenix was hit by a worm called Quillfire.");
    const std::vector<std::string> spans = p.spans();
    CHECK(std::find(spans.begin(), spans.end(), "Osric Vell|PERSON|rule:title") != spans.end());
    CHECK(std::find(spans.begin(), spans.end(), "Microsoft|COMPANY|gazetteer") != spans.end());
    CHECK(std::find(spans.begin(), spans.end(), "Halvard Brenix|COMPANY|rule:category-noun") != spans.end());
    CHECK(std::find(spans.begin(), spans.end(), "Quillfire|ATTACK|rule:attack-cue") != spans.end());

    // On a headline line the rules read nothing.
    Decided h(tagger, "Mr. Osric Vell Joins Halvard Logistics Board\n");
    CHECK(h.spans().empty());
}

TEST_CASE("voting pass gives a name its most frequent reading", "[tagger][passes]")
{
    auto tagger = passTagger();
    Listed p(tagger, "Dynel fell. Dynel rose. Dynel held. Microsoft and Russia.");
    auto add = [&](std::size_t at, Kind kind, bool list) {
        p.cx.add({static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + 1), kind, std::string(kindName(kind)), {}, list},
                 "rule:test");
    };
    std::vector<std::size_t> dynel;
    for (std::size_t i = 0; i < p.tokens.size(); ++i)
        if (p.cx.surface(i) == u"Dynel")
            dynel.push_back(i);
    REQUIRE(dynel.size() == 3);
    add(dynel[0], Kind::Company, false);
    add(dynel[1], Kind::Attack, false);
    add(dynel[2], Kind::Company, false);
    const std::vector<std::string> lists = {"Microsoft|COMPANY|gazetteer", "Russia|NATION|gazetteer"};
    voteReadings(p.cx);
    std::vector<std::string> spans = p.spans();
    CHECK(std::count(spans.begin(), spans.end(), "Dynel|COMPANY|rule:test") == 3);
    for (const std::string &l : lists)
        CHECK(std::find(spans.begin(), spans.end(), l) != spans.end());
}

TEST_CASE("document pass carries a name to its other mentions", "[tagger][passes]")
{
    auto tagger = passTagger();
    Decided p(tagger, "Mr. Osric Vell spoke first. Later, Vell left, and Osric Vell did not return.");
    Passes::propagateKnown(tagger, p.cx);
    const std::vector<std::string> spans = p.spans();
    CHECK(std::count(spans.begin(), spans.end(), "Osric Vell|PERSON|rule:title") == 1);
    CHECK(std::count(spans.begin(), spans.end(), "Osric Vell|PERSON|document") == 1);
    CHECK(std::count(spans.begin(), spans.end(), "Vell|PERSON|document") == 1);
}
