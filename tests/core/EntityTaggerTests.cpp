#include "core/nlp/EmbeddedResources.h"
#include "core/nlp/EntityTagger.h"
#include "core/store/Store.h"
#include "core/nlp/Tagging.h"
#include "core/text/Text.h"

#include <catch2/catch.hpp>

#include <map>

using namespace lede;

namespace {

// A small gazetteer written for these tests, so that each rule is tested
// apart from the shipped lists.
EntityTagger testTagger()
{
    Gazetteer g;
    const char *tsv = "COMPANY\tMicrosoft\t\t\n"
                      "COMPANY\tCisco Systems\tCisco\t\n"
                      "COMPANY\t=Apple\t\t\n"
                      "COMPANY\tHewlett-Packard\tHP\t\n"
                      "NATION\tUnited States\tU.S.|=US|American|Americans\t\n"
                      "NATION\tRussia\tRussian|Russians\t\n"
                      "NATION\tNorth Korea\tNorth Korean\t\n"
                      "ATTACK\tWannaCry\tWanaCrypt0r|WannaCrypt\t\n"
                      "ATTACK\tNotPetya\t\t\n"
                      "ORGANIZATION\tNational Security Agency\tNSA|N.S.A.\t\n"
                      "ORGANIZATION\tFancy Bear\tAPT28|Sofacy\t\n"
                      "ORGANIZATION\tGeneva Conventions\t\tnonentity\n"
                      "ORGANIZATION\tMicrosoft Windows\tWindows\tnonentity\n";
    REQUIRE(g.loadTsv(tsv).ok());
    return EntityTagger(std::move(g), {"Brad", "Mark", "Edward", "Satya"}, {"share", "later", "engineer", "member", "baker"});
}

// "text|TYPE|entity" for each span, for compact assertions.
std::vector<std::string> tagged(EntityTagger &tagger, const std::string &text)
{
    std::vector<std::string> out;
    for (const TaggedSpan &s : tagger.tag(text))
        out.push_back(std::string(text::sliceCodePoints(text, s.start, s.end)) + "|" + s.type + "|" + s.entity);
    return out;
}

bool has(const std::vector<std::string> &spans, const std::string &s)
{
    return std::find(spans.begin(), spans.end(), s) != spans.end();
}

} // namespace

TEST_CASE("tagger finds gazetteer names with their canonical entities", "[tagger]")
{
    auto tagger = testTagger();
    auto spans = tagged(tagger, "The WanaCrypt0r outbreak spread from North Korean servers to American hospitals.");
    CHECK(spans == std::vector<std::string>{"WanaCrypt0r|ATTACK|WannaCry", "North Korean|NATION|North Korea",
                                            "American|NATION|United States"});
}

TEST_CASE("tagger prefers the longest name and never overlaps", "[tagger]")
{
    auto tagger = testTagger();
    auto spans = tagged(tagger, "Engineers at Cisco Systems and Cisco met.");
    CHECK(spans == std::vector<std::string>{"Cisco Systems|COMPANY|Cisco Systems", "Cisco|COMPANY|Cisco Systems"});
}

TEST_CASE("tagger leaves out possessives and leading articles", "[tagger]")
{
    auto tagger = testTagger();
    CHECK(tagged(tagger, "Microsoft’s lawyers and the N.S.A.'s analysts.")
          == std::vector<std::string>{"Microsoft|COMPANY|Microsoft", "N.S.A.|ORGANIZATION|National Security Agency"});
}

TEST_CASE("tagger matches case-sensitive names only as written", "[tagger]")
{
    auto tagger = testTagger();
    CHECK(tagged(tagger, "She ate an apple while US officials called Apple.")
          == std::vector<std::string>{"US|NATION|United States", "Apple|COMPANY|Apple"});
    CHECK(tagged(tagger, "Let us go.").empty());
}

TEST_CASE("tagger blocks names inside events and products", "[tagger]")
{
    auto tagger = testTagger();
    CHECK(tagged(tagger, "A Geneva Conventions for cyberspace ran on Microsoft Windows machines.").empty());
}

TEST_CASE("tagger reads names across hard line wraps", "[tagger]")
{
    auto tagger = testTagger();
    auto spans = tagger.tag("Officials in the United\nStates said so.");
    REQUIRE(spans.size() == 1);
    CHECK(spans[0].start == 17);
    CHECK(spans[0].end == 30);
    CHECK(spans[0].entity == "United States");
}

TEST_CASE("tagger tags a person after a title without the title", "[tagger][person]")
{
    auto tagger = testTagger();
    auto spans = tagged(tagger, "The plan came from Mr. Jonas Falk, and Dr. Okonkwo agreed.");
    CHECK(has(spans, "Jonas Falk|PERSON|Jonas Falk"));
    CHECK(has(spans, "Okonkwo|PERSON|Okonkwo"));
}

TEST_CASE("tagger links surnames and titled mentions to the full name", "[tagger][person]")
{
    auto tagger = testTagger();
    auto spans = tagged(tagger, "Brad Smith spoke first. Later, Smith said more, and Mr. Smith left.");
    CHECK(spans == std::vector<std::string>{"Brad Smith|PERSON|Brad Smith", "Smith|PERSON|Brad Smith",
                                            "Smith|PERSON|Brad Smith"});
}

TEST_CASE("tagger finds people from given names, speech verbs and appositions", "[tagger][person]")
{
    auto tagger = testTagger();
    CHECK(has(tagged(tagger, "Yesterday Satya Nadella joined them."), "Satya Nadella|PERSON|Satya Nadella"));
    CHECK(has(tagged(tagger, "The deal was off, said Ilse Vandermeer."), "Ilse Vandermeer|PERSON|Ilse Vandermeer"));
    CHECK(has(tagged(tagger, "Later Tomas Oyelaran told reporters the same."),
              "Tomas Oyelaran|PERSON|Tomas Oyelaran"));
    CHECK(has(tagged(tagger, "We spoke to Mark Chandler, Cisco’s general counsel."),
              "Mark Chandler|PERSON|Mark Chandler"));
    CHECK(has(tagged(tagger, "It quoted Ravi Anand, the president of the group."), "Ravi Anand|PERSON|Ravi Anand"));
    CHECK(has(tagged(tagger, "The attack was detailed by Edward J. Snowden in 2013."),
              "Edward J. Snowden|PERSON|Edward J. Snowden"));
}

TEST_CASE("tagger reads a title before a common word and administrations as people", "[tagger][person]")
{
    auto tagger = testTagger();
    CHECK(has(tagged(tagger, "The deal was signed by Mr. Baker on Friday."), "Baker|PERSON|Baker"));
    CHECK(has(tagged(tagger, "Officials in the Halvorsen administration disagreed."), "Halvorsen|PERSON|Halvorsen"));
}

TEST_CASE("tagger finds companies by suffix, head and context", "[tagger][company]")
{
    auto tagger = testTagger();
    CHECK(has(tagged(tagger, "Shares of Norwell Dynamics Corp. fell."), "Norwell Dynamics Corp.|COMPANY|Norwell Dynamics Corp."));
    CHECK(has(tagged(tagger, "Engineers at Juniper Systems found it."), "Juniper Systems|COMPANY|Juniper Systems"));
    CHECK(has(tagged(tagger, "It hired the security firm Dragonet to investigate."), "Dragonet|COMPANY|Dragonet"));
    CHECK(has(tagged(tagger, "The flaw was found by Vexcel, a Russian firm, in May."), "Vexcel|COMPANY|Vexcel"));
    // After "Juniper Systems", "Juniper" alone is the same company.
    auto spans = tagged(tagger, "Juniper Systems patched it. Juniper said nothing.");
    CHECK(has(spans, "Juniper|COMPANY|Juniper Systems"));
}

TEST_CASE("tagger finds attacks from cue words without the cue", "[tagger][attack]")
{
    auto tagger = testTagger();
    CHECK(has(tagged(tagger, "The Zeppelinbot ransomware encrypted files."), "Zeppelinbot|ATTACK|Zeppelinbot"));
    CHECK(has(tagged(tagger, "Analysts traced the Quasarlock attack to a loader."), "Quasarlock|ATTACK|Quasarlock"));
    CHECK(has(tagged(tagger, "It was part of Operation Night Heron, officials said."),
              "Operation Night Heron|ATTACK|Operation Night Heron"));
    CHECK(has(tagged(tagger, "A worm called Brontok spread quickly."), "Brontok|ATTACK|Brontok"));
    CHECK_FALSE(has(tagged(tagger, "The attack hit hospitals."), "attack|ATTACK|attack"));
}

TEST_CASE("tagger keeps a nation inside an organisation's full name", "[tagger][organization]")
{
    auto tagger = testTagger();
    CHECK(tagged(tagger, "The United States Department of Justice filed charges.")
          == std::vector<std::string>{"United States Department of Justice|ORGANIZATION|United States Department of Justice"});
    CHECK(tagged(tagger, "Officials said the U.S. agency knew.") == std::vector<std::string>{"U.S.|NATION|United States"});
    CHECK(has(tagged(tagger, "Members of the Russian State Duma voted."), "Russian State Duma|ORGANIZATION|Russian State Duma"));
}

TEST_CASE("tagger gives a name the same type everywhere in a document", "[tagger]")
{
    auto tagger = testTagger();
    auto spans = tagged(tagger, "The Zeppelinbot ransomware spread. Zeppelinbot then went quiet.");
    CHECK(std::count(spans.begin(), spans.end(), "Zeppelinbot|ATTACK|Zeppelinbot") == 2);
}

TEST_CASE("tagger offsets are code points past emoji", "[tagger]")
{
    auto tagger = testTagger();
    const std::string text = "🔒😱 NotPetya hit Russia.";
    auto spans = tagger.tag(text);
    REQUIRE(spans.size() == 2);
    CHECK(spans[0].start == 3);
    CHECK(spans[0].end == 11);
    CHECK(text::sliceCodePoints(text, spans[1].start, spans[1].end) == "Russia");
}

TEST_CASE("tagger survives junk text, and what it finds there lies inside the text", "[tagger]")
{
    auto tagger = testTagger();
    CHECK(tagger.tag("").empty());
    CHECK(tagger.tag("   \n\n  ").empty());
    CHECK(tagger.tag(std::string(5000, '.')).empty());
    // Repeated titles, cue words and punctuation: "Operation" twice over is
    // no code name (the title rule still reads the run after "Mr." as a
    // person, as it would "Mr. Operation Smith").
    const auto repeated = tagged(tagger, "Mr. Mr. Mr. Operation Operation , , said said");
    CHECK(repeated == std::vector<std::string>{"Operation Operation|PERSON|Operation Operation"});
    CHECK(tagged(tagger, "Operation Operation began.").empty());

    std::string junk;
    for (int i = 0; i < 2000; ++i)
        junk += static_cast<char>("A.B-c' ,\n\xC3\xA9"[i % 11]);
    // Cut back to whole characters, so that the tagger gets valid UTF-8.
    while (!text::isValidUtf8(junk))
        junk.pop_back();
    const std::size_t length = text::codePointCount(junk);
    std::size_t previousEnd = 0;
    for (const TaggedSpan &s : tagger.tag(junk)) {
        CHECK(s.start >= previousEnd);
        CHECK(s.end > s.start);
        CHECK(s.end <= length);
        CHECK((s.type == "PERSON" || s.type == "COMPANY" || s.type == "NATION" || s.type == "ATTACK"
               || s.type == "ORGANIZATION"));
        previousEnd = s.end;
    }
}

TEST_CASE("learned names are suggested and rejected ones are not", "[tagger][learning]")
{
    auto tagger = testTagger();
    tagger.learn("ORGANIZATION", "Kestrel Collective", "Kestrel");
    tagger.suppress("NATION", "American");
    auto spans = tagged(tagger, "Kestrel denied it; the American firm did not.");
    CHECK(has(spans, "Kestrel|ORGANIZATION|Kestrel Collective"));
    CHECK_FALSE(has(spans, "American|NATION|United States"));
}

TEST_CASE("re-tagging replaces only unreviewed suggestions", "[tagger][learning]")
{
    auto opened = Store::open(":memory:");
    REQUIRE(opened.ok());
    Store &store = **opened;
    NewDocument doc;
    doc.text = "Microsoft and Cisco met in Russia. Zeppelinbot ransomware was discussed.";
    auto added = store.addDocument(doc, {{0, 9, "COMPANY", "", Origin::Auto, AnnotationStatus::Suggested, ""},
                                         {14, 19, "PERSON", "", Origin::Auto, AnnotationStatus::Suggested, ""},
                                         {27, 33, "NATION", "", Origin::Auto, AnnotationStatus::Suggested, ""}});
    REQUIRE(added.ok());
    auto anns = store.annotations(added->id);
    REQUIRE(anns->size() == 3);
    REQUIRE(store.setAnnotationStatus((*anns)[0].id, AnnotationStatus::Accepted).ok());   // Microsoft kept
    REQUIRE(store.setAnnotationStatus((*anns)[1].id, AnnotationStatus::Rejected).ok());   // Cisco as PERSON: wrong
    auto manual = store.addAnnotation(added->id, {35, 46, "ATTACK", "", Origin::Manual, AnnotationStatus::Accepted, ""});
    REQUIRE(manual.ok());

    auto tagger = testTagger();
    auto report = retagDocuments(store, tagger, {added->id});
    REQUIRE(report.ok());
    auto after = store.annotations(added->id);
    REQUIRE(after.ok());
    std::vector<std::string> seen;
    for (const Annotation &a : *after)
        seen.push_back(std::to_string(a.start) + " " + a.type + " " + std::string(toString(a.origin)) + " "
                       + std::string(toString(a.status)));
    CHECK(seen == std::vector<std::string>{"0 COMPANY auto accepted", "14 PERSON auto rejected", "27 NATION auto suggested",
                                           "35 ATTACK manual accepted"});
    // Running it twice changes nothing.
    REQUIRE(retagDocuments(store, tagger, {added->id}).ok());
    CHECK(store.annotations(added->id)->size() == 4);
}

TEST_CASE("a store's reviews teach the tagger for other documents", "[tagger][learning]")
{
    auto opened = Store::open(":memory:");
    REQUIRE(opened.ok());
    Store &store = **opened;
    NewDocument a;
    a.text = "Analysts blamed Kestrel for the outage.";
    auto first = store.addDocument(a);
    REQUIRE(first.ok());
    REQUIRE(store.addAnnotation(first->id, {16, 23, "ORGANIZATION", "Kestrel Collective", Origin::Manual,
                                            AnnotationStatus::Accepted, ""}).ok());
    NewDocument b;
    b.text = "Kestrel struck again on Friday.";
    auto second = store.addDocument(b);
    REQUIRE(second.ok());
    auto tagger = taggerForStore(store);
    REQUIRE(tagger.ok());
    REQUIRE(retagDocuments(store, **tagger, {second->id}).ok());
    auto anns = store.annotations(second->id);
    REQUIRE(anns->size() == 1);
    CHECK((*anns)[0].type == "ORGANIZATION");
    CHECK((*anns)[0].entityName == "Kestrel Collective");
    CHECK((*anns)[0].status == AnnotationStatus::Suggested);

    // Rejecting it stops the suggestion everywhere.
    REQUIRE(store.setAnnotationStatus((*anns)[0].id, AnnotationStatus::Rejected).ok());
    NewDocument c;
    c.text = "Nobody expected Kestrel to return.";
    auto third = store.addDocument(c);
    auto retrained = taggerForStore(store);
    REQUIRE(retagDocuments(store, **retrained, {third->id}).ok());
    CHECK(store.annotations(third->id)->empty());
}

TEST_CASE("tagger gives untyped names in a list the type of their neighbours", "[tagger][lists]")
{
    auto tagger = testTagger();
    auto spans = tagged(tagger, "Signatories included Microsoft, Zentrix and Valtora.");
    CHECK(has(spans, "Zentrix|COMPANY|Zentrix"));
    CHECK(has(spans, "Valtora|COMPANY|Valtora"));
    auto byNoun = tagged(tagger, "The companies that signed are Zentrix, Valtora and Quenby.");
    CHECK(has(byNoun, "Quenby|COMPANY|Quenby"));
    auto attacks = tagged(tagger, "It joins worms such as NotPetya, Grimlock and Vexwire.");
    CHECK(has(attacks, "Grimlock|ATTACK|Grimlock"));
    CHECK(has(attacks, "Vexwire|ATTACK|Vexwire"));
    // A place before the list is not one of its items.
    CHECK_FALSE(has(tagged(tagger, "In Portland, Microsoft and Zentrix met."), "Portland|COMPANY|Portland"));
    // A category word far back in the sentence says nothing about a list.
    CHECK(tagged(tagger, "The NotPetya malware, which Portland and Salem attributed to them, spread.")
          == std::vector<std::string>{"NotPetya|ATTACK|NotPetya"});
    CHECK(tagged(tagger, "Officials in Russia and Novgorod agreed.") == std::vector<std::string>{"Russia|NATION|Russia"});
    CHECK(tagged(tagger, "Without NotPetya code, Portland and Salem recovered.")
          == std::vector<std::string>{"NotPetya|ATTACK|NotPetya"});
}

TEST_CASE("tagger links names after 'also known as' to the entity before", "[tagger][aliases]")
{
    auto tagger = testTagger();
    auto spans = tagged(tagger, "Fancy Bear, also known as Pawn Storm and Strontium Group, struck again.");
    CHECK(has(spans, "Pawn Storm|ORGANIZATION|Fancy Bear"));
    CHECK(has(spans, "Strontium Group|ORGANIZATION|Fancy Bear"));
}

TEST_CASE("tagger reads code names and definitions", "[tagger][attack]")
{
    auto tagger = testTagger();
    CHECK(has(tagged(tagger, "The program, code-named Silent Harvest Games, began in 2006."),
              "Silent Harvest Games|ATTACK|Silent Harvest Games"));
    CHECK(has(tagged(tagger, "Industrovex is a malware framework that targets substations."),
              "Industrovex|ATTACK|Industrovex"));
    CHECK(has(tagged(tagger, "Operation Quiet Lantern began that spring."),
              "Operation Quiet Lantern|ATTACK|Operation Quiet Lantern"));
}

TEST_CASE("tagger keeps words for currencies and languages out of NATION", "[tagger][nation]")
{
    auto tagger = testTagger();
    CHECK(tagged(tagger, "They stole US$81 million in US dollars.").empty());
    CHECK(tagged(tagger, "It is a Russian word for it.").empty());
    CHECK(tagged(tagger, "Russian hackers did it.") == std::vector<std::string>{"Russian|NATION|Russia"});
}

TEST_CASE("tagger reads a category noun before a name and the group after one", "[tagger][context]")
{
    auto tagger = testTagger();
    CHECK(has(tagged(tagger, "Officials blamed the hacker group Velvet Tide for the outage."),
              "Velvet Tide|ORGANIZATION|Velvet Tide"));
    CHECK(has(tagged(tagger, "Investigators said the Grey Lantern group ran the servers."),
              "Grey Lantern|ORGANIZATION|Grey Lantern"));
    CHECK(has(tagged(tagger, "Attacks by the \u201cCopper Wren\u201d group began in May."), "Copper Wren|ORGANIZATION|Copper Wren"));
    CHECK(has(tagged(tagger, "A researcher named the malware \u201cGlassmole\u201d last year."), "Glassmole|ATTACK|Glassmole"));
    CHECK(has(tagged(tagger, "The ransomware Pelicrypt locked the files."), "Pelicrypt|ATTACK|Pelicrypt"));
    // A plural company noun before a list: the first name is a company,
    // and the list gives its type to the rest.
    auto firms = tagged(tagger, "Two foreign firms, Ostrava Telecom and Lumovia, also signed.");
    CHECK(has(firms, "Lumovia|COMPANY|Lumovia"));
    CHECK(has(tagged(tagger, "Suppliers such as Brennholt were hit too, as were companies such as Kaveri."),
              "Kaveri|COMPANY|Kaveri"));
    // A verb that is also a malware word does not make a name malware.
    CHECK_FALSE(has(tagged(tagger, "Criminals exploit Brennholt servers."), "Brennholt|ATTACK|Brennholt"));
}

TEST_CASE("tagger reads a name spelled out before its initials as an organisation", "[tagger][organization]")
{
    auto tagger = testTagger();
    auto spans = tagged(tagger, "Hackers broke into the Regional Water Board Authority (RWBA) network. "
                                "Later the RWBA said little.");
    CHECK(has(spans, "Regional Water Board Authority|ORGANIZATION|Regional Water Board Authority"));
    spans = tagged(tagger, "It was traced to the Tailored Access Operations (TAO) unit. TAO denied it.");
    CHECK(has(spans, "Tailored Access Operations|ORGANIZATION|Tailored Access Operations"));
    CHECK(has(spans, "TAO|ORGANIZATION|Tailored Access Operations"));
    // Initials that do not match leave the name alone.
    spans = tagged(tagger, "They met Harbor Light Partners Lantern (XYZ) staff.");
    CHECK_FALSE(has(spans, "XYZ|ORGANIZATION|Harbor Light Partners Lantern"));
}

TEST_CASE("tagger types a name in brackets after another name of the same thing", "[tagger][context]")
{
    auto tagger = testTagger();
    CHECK(has(tagged(tagger, "Engineers at Juniper Systems (now Brightwave) found it."), "Brightwave|COMPANY|Brightwave"));
    CHECK(has(tagged(tagger, "It was Fancy Bear (or Stormfinch) again."), "Stormfinch|ORGANIZATION|Stormfinch"));
    CHECK_FALSE(has(tagged(tagger, "Talks in Russia (now Moscow) went on."), "Moscow|NATION|Moscow"));
}

TEST_CASE("tagger lets a list of companies retype a name read from given names alone", "[tagger][lists]")
{
    EntityTagger tagger = [] {
        Gazetteer g;
        REQUIRE(g.loadTsv("COMPANY\tMicrosoft\t\t\nCOMPANY\tCisco Systems\tCisco\t\nCOMPANY\tOracle\t\t\n").ok());
        return EntityTagger(std::move(g), {"Morgan", "Stanley", "Brad"}, {});
    }();
    auto spans = tagged(tagger, "Targets included Microsoft, Oracle, Morgan Stanley and Cisco.");
    CHECK(has(spans, "Morgan Stanley|COMPANY|Morgan Stanley"));
    // A person's full name in such a list stays a person.
    spans = tagged(tagger, "Speakers were Brad Hollis, Microsoft, Oracle and Cisco.");
    CHECK(has(spans, "Brad Hollis|PERSON|Brad Hollis"));
}

TEST_CASE("every name says why the tagger read it and how sure it is", "[tagger][provenance]")
{
    Gazetteer g;
    REQUIRE(g.loadTsv("ATTACK\tEmotet\tGeodo\t\tmitre-attack:S0367\n"
                      "COMPANY\tMicrosoft\t\t\tcurated:companies\n"
                      "NATION\tRussia\tRussian\t\n")
                .ok());
    EntityTagger tagger(std::move(g), {"Brenna"}, {});
    tagger.setModel(nullptr);
    tagger.learn("ORGANIZATION", "Quill Circle", "Quill Circle");
    const std::string text = "Investigators found Geodo at Microsoft and at Norvanta Holdings Inc. in Russia. "
                             "Brenna Valdacourt said the Quill Circle was behind it. Valdacourt declined to say more.";
    std::map<std::string, std::pair<std::string, float>> seen;
    for (const TaggedSpan &s : tagger.tag(text)) {
        CHECK(s.confidence > 0.0f);
        CHECK(s.confidence <= 1.0f);
        seen[std::string(text::sliceCodePoints(text, s.start, s.end))] = {s.provenance, s.confidence};
    }
    CHECK(seen["Geodo"].first == "gazetteer:mitre-attack:S0367");
    CHECK(seen["Microsoft"].first == "gazetteer:curated:companies");
    CHECK(seen["Russia"].first == "gazetteer"); // a list without sources
    CHECK(seen["Norvanta Holdings Inc."].first == "rule:legal-suffix");
    CHECK(seen["Brenna Valdacourt"].first == "rule:given-name");
    CHECK(seen["Quill Circle"].first == "gazetteer:learned");
    // A surname repeats the full name's reading, a little less surely.
    REQUIRE(seen.count("Valdacourt"));
    CHECK(seen["Valdacourt"].first == "document");
    CHECK(seen["Valdacourt"].second < seen["Brenna Valdacourt"].second);
    // The lists the tagger trusts most are the ones that are right most often.
    CHECK(seen["Quill Circle"].second > seen["Geodo"].second);
}

TEST_CASE("names the model finds carry the precision measured on held-out corpora", "[tagger][provenance]")
{
    auto tagger = EntityTagger::createDefault();
    REQUIRE(tagger.ok());
    const std::string text = "Shares of Velmorant fell after Velmorant said hackers had stolen the records of "
                             "its customers. Velmorant chief executive Idris Kalvanen apologised on Friday. "
                             "The intruders also hit a depot in Ostrava, where Lenka Dvorakova runs security.";
    int model = 0;
    for (const TaggedSpan &s : (*tagger)->tag(text)) {
        CAPTURE(text::sliceCodePoints(text, s.start, s.end), s.provenance);
        CHECK(!s.provenance.empty());
        if (s.provenance == "model") {
            CHECK(s.confidence == Approx(0.82f));
            ++model;
        }
    }
    CHECK(model > 0);
}

TEST_CASE("the word-class lexicon names every class the tagger reads, each with words", "[tagger][lexicon]")
{
    // A misspelt section header would drop its words silently.
    const std::string_view lexicon = resources::wordClasses();
    std::map<std::string, std::size_t> words;
    std::string section;
    std::size_t pos = 0;
    while (pos < lexicon.size()) {
        std::size_t nl = lexicon.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = lexicon.size();
        std::string line(lexicon.substr(pos, nl - pos));
        pos = nl + 1;
        if (const auto hash = line.find('#'); hash != std::string::npos)
            line.resize(hash);
        if (line.find_first_not_of(" \t") == std::string::npos)
            continue;
        if (line.front() == '[') {
            section = line.substr(1, line.find(']') - 1);
            words[section];
            continue;
        }
        words[section] += 1;
    }
    std::vector<std::string> names;
    for (const auto &[name, lines] : words) {
        names.push_back(name);
        CHECK(lines > 0);
    }
    CHECK(names == std::vector<std::string>{"apposition-start", "attack-strong", "attack-weak", "company-before",
                                            "company-cue", "company-head", "company-noun", "connector", "hyphen-suffix",
                                            "legal", "organization-head", "product", "role", "speech", "stop", "title",
                                            "title-modifier"});
}

TEST_CASE("a text longer than an article is tagged in parts, with offsets over the whole text", "[tagger]")
{
    auto tagger = testTagger();
    // Paragraphs with a character outside the BMP, and one long paragraph
    // with no blank line in it, so that parts end at each kind of break.
    const std::string paragraph = "🔒 Cisco said Russian hackers ran NotPetya against Microsoft.\n\n";
    const std::vector<std::string> each = tagged(tagger, paragraph);
    REQUIRE(each.size() == 4);
    std::string text;
    std::size_t copies = 0;
    while (text.size() < EntityTagger::kWholeTextBytes + EntityTagger::kPartBytes) {
        text += paragraph;
        ++copies;
    }
    std::string line = "Then ";
    while (line.size() < EntityTagger::kPartBytes / 2)
        line += "WannaCry hit Microsoft again, ";
    text += line + "the end.\n";
    const std::vector<std::string> spans = tagged(tagger, text);
    std::map<std::string, std::size_t> counts;
    for (const std::string &s : spans)
        ++counts[s];
    CHECK(counts["Cisco|COMPANY|Cisco Systems"] == copies);
    CHECK(counts["Russian|NATION|Russia"] == copies);
    CHECK(counts["NotPetya|ATTACK|NotPetya"] == copies);
    const std::size_t inLine = (line.size() - 5) / std::string("WannaCry hit Microsoft again, ").size();
    CHECK(counts["Microsoft|COMPANY|Microsoft"] == copies + inLine);
    CHECK(counts["WannaCry|ATTACK|WannaCry"] == inLine);
    CHECK(counts.size() == 5); // every span covers exactly its name: the offsets of later parts are right
    const auto raw = tagger.tag(text); // in order, none overlapping
    for (std::size_t i = 1; i < raw.size(); ++i)
        REQUIRE(raw[i - 1].end <= raw[i].start);
    // The store's compact form, built part by part, holds the same names.
    const std::vector<NewAnnotation> suggested = tagger.suggest(text).expanded();
    REQUIRE(suggested.size() == raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        REQUIRE(suggested[i].start == raw[i].start);
        REQUIRE(suggested[i].end == raw[i].end);
        REQUIRE(suggested[i].type == raw[i].type);
        REQUIRE(suggested[i].entityName == raw[i].entity);
        REQUIRE(suggested[i].provenance == raw[i].provenance);
        REQUIRE(suggested[i].confidence == raw[i].confidence);
    }
}
