#pragma once

// The tagger's working state and the helpers its passes share: private to
// EntityTagger.cpp and the Tagger*.cpp files that hold its passes.

#include "core/nlp/EntityTagger.h"
#include "core/text/Text.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lede {

namespace tagging {


// Word classes, as bits: a word may be in several lists.
namespace W {
enum : std::uint32_t {
    Stop = 1u << 0,
    Title = 1u << 1,
    Role = 1u << 2,
    Speech = 1u << 3,
    OrgHead = 1u << 4,
    CompanyHead = 1u << 5,
    Legal = 1u << 6,
    CompanyNoun = 1u << 7,
    AttackStrong = 1u << 8,
    AttackWeak = 1u << 9,
    Connector = 1u << 10,
    AppositionStart = 1u << 11,
    Common = 1u << 12,
    Given = 1u << 13,
    HyphenSuffix = 1u << 14,
    Product = 1u << 15,
    // Classes from here on are the rules' only: the name model reads the
    // sixteen above (NerModel.cpp), and its shipped weights know no others.
    CompanyCue = 1u << 16,
    CompanyBefore = 1u << 17,
    TitleModifier = 1u << 18,
    Computed = 1u << 31,
};
}

// The word classes of resources/lexicons/word-classes.txt, as (class bits,
// word) pairs: read once per process.
const std::vector<std::pair<std::uint32_t, std::string_view>> &wordClassEntries();

enum class Kind : std::uint8_t { None, Person, Company, Nation, Attack, Organization, Block };

inline std::string_view kindName(Kind k)
{
    switch (k) {
    case Kind::Person:
        return "PERSON";
    case Kind::Company:
        return "COMPANY";
    case Kind::Nation:
        return "NATION";
    case Kind::Attack:
        return "ATTACK";
    case Kind::Organization:
        return "ORGANIZATION";
    default:
        return "";
    }
}

inline Kind kindOf(std::string_view type)
{
    if (type == "PERSON")
        return Kind::Person;
    if (type == "COMPANY")
        return Kind::Company;
    if (type == "NATION")
        return Kind::Nation;
    if (type == "ATTACK")
        return Kind::Attack;
    if (type == "ORGANIZATION")
        return Kind::Organization;
    return Kind::None;
}

struct Span {
    Span() = default;
    Span(std::uint32_t b, std::uint32_t e, Kind k, std::string t, std::string c, bool gazetteer, bool givenOnly = false)
        : begin(b), end(e), kind(k), type(std::move(t)), canonical(std::move(c)), fromGazetteer(gazetteer),
          givenNamesOnly(givenOnly)
    {
    }
    std::uint32_t begin = 0; // tokens
    std::uint32_t end = 0;
    Kind kind = Kind::None;
    std::string type;      // for custom types learned from the analyst
    std::string canonical; // empty: the surface
    bool fromGazetteer = false;
    // A person read from given names alone ("Morgan Stanley"): a list of
    // companies around it may retype it.
    bool givenNamesOnly = false;
    // A part of a company's full name read in the same document ("Harbin
    // Ridge" of "Harbin Ridge Trading"): the model does not read it again.
    bool partOfCompany = false;
    // Why the tagger read it (TaggedSpan::provenance), and how sure it is.
    std::string provenance;
    float confidence = 1.0f;
};


// How often a name read for this reason is right: the precision of each
// list and rule on the relabelled training corpora (never the development
// corpus), measured with
//   lede-cli train build/ner-train --provenance --without annoctr,btc,crossner,cyner,sec-filings,uner-pud,wnut17
// (news, Wikipedia and report prose that mark every name: GUM, Re-DocRED,
// re3d, UNER-EWT, wikigold) and, for attacks, which only AnnoCTR and CyNER
// mark, with --without all but annoctr,cyner. Where the corpora give too
// few names or do not mark the kind at all ("Operation X"), 0.6, about the
// median rule's. The analyst's own names are taken as sure. Names the
// model found (at its own confidence of 0.9 or more) carry the precision
// of such names on held-out corpora; names repeated through the document
// that of the name they repeat.
float provenanceConfidence(std::string_view provenance);

} // namespace tagging

// The passes are written against these names unqualified.
using namespace tagging;

// Everything one call to tag() works on.
struct EntityTagger::Context {
    std::u16string_view text;
    const std::vector<Token> &tokens;
    const FoldedTokens &folded;
    std::vector<std::int32_t> owner; // span index per token, -1 when free
    std::vector<Span> spans;
    std::vector<bool> headline; // token lies on a title-case line

    Context(std::u16string_view t, const std::vector<Token> &toks, const FoldedTokens &f)
        : text(t), tokens(toks), folded(f), owner(toks.size(), -1), headline(toks.size(), false)
    {
    }

    std::u16string_view surface(std::size_t i) const
    {
        return text.substr(tokens[i].u16Start, tokens[i].u16End - tokens[i].u16Start);
    }

    std::u16string_view fold(std::size_t i) const { return folded[i]; }

    std::vector<std::uint32_t> classes; // W:: bits per token
    bool is(std::size_t i, std::uint32_t bits) const { return i < tokens.size() && (classes[i] & bits) != 0; }
    bool isChar(std::size_t i, char16_t c) const
    {
        return i < tokens.size() && tokens[i].u16End - tokens[i].u16Start == 1 && text[tokens[i].u16Start] == c;
    }
    bool isWord(std::size_t i) const { return i < tokens.size() && tokens[i].has(Token::Word); }

    // A capitalised word that can be part of a name. Title words ("State",
    // "Justice", "General") may continue a name but never start one.
    bool isNameWord(std::size_t i, bool continuing = false)
    {
        if (i >= tokens.size())
            return false;
        const Token &t = tokens[i];
        if (!t.has(Token::Word) || t.has(Token::Possessive))
            return false;
        // Numbers continue names ("Unit 8200") but never start one.
        if (!t.has(Token::Capitalized) && !(continuing && t.has(Token::HasDigit)))
            return false;
        if (is(i, W::Stop) || (!continuing && is(i, W::Title)))
            return false;
        // Capitalised only because it opens a sentence: a common word
        // ("Shares of ...", "Officials said").
        return !(t.has(Token::SentenceStart) && is(i, W::Common));
    }

    // "J." as in "Edward J. Snowden" (one capital letter and a full stop),
    // or a dotted abbreviation with its last stop: "U.S.", "N.S.A.".
    bool isInitial(std::size_t i) const
    {
        if (i + 1 >= tokens.size() || !tokens[i].has(Token::Capitalized) || !isChar(i + 1, u'.')
            || tokens[i + 1].has(Token::SpaceBefore))
            return false;
        const std::u16string_view w = surface(i);
        return w.size() == 1 || w.find(u'.') != std::u16string_view::npos;
    }

    std::string surfaceUtf8(std::size_t begin, std::size_t end) const
    {
        // Hard-wrapped names ("North\nKorea") read with a space.
        std::u16string s(text.substr(tokens[begin].u16Start, tokens[end - 1].u16End - tokens[begin].u16Start));
        std::u16string out;
        bool space = false;
        for (char16_t c : s) {
            if (c == u'\n' || c == u'\t' || c == u' ' || c == u'\r') {
                space = true;
                continue;
            }
            if (space && !out.empty())
                out.push_back(u' ');
            space = false;
            out.push_back(c);
        }
        return text::toUtf8(out);
    }

    std::u16string key(std::size_t begin, std::size_t end)
    {
        std::u16string k;
        for (std::size_t i = begin; i < end; ++i) {
            if (i > begin)
                k.push_back(u'\x1f');
            k += fold(i);
        }
        return k;
    }

    bool free(std::size_t begin, std::size_t end) const
    {
        for (std::size_t i = begin; i < end; ++i)
            if (owner[i] >= 0)
                return false;
        return true;
    }

    // `confidence` < 0: the measured precision of `provenance`.
    void add(Span span, std::string_view provenance, float confidence = -1.0f)
    {
        span.provenance = provenance;
        span.confidence = confidence >= 0.0f ? confidence : provenanceConfidence(provenance);
        const auto index = static_cast<std::int32_t>(spans.size());
        for (std::uint32_t i = span.begin; i < span.end; ++i)
            owner[i] = index;
        spans.push_back(std::move(span));
    }

    // Removes spans inside [begin, end) so a wider span can take the range.
    void clear(std::size_t begin, std::size_t end)
    {
        for (std::size_t i = begin; i < end; ++i) {
            if (owner[i] >= 0) {
                Span &s = spans[static_cast<std::size_t>(owner[i])];
                for (std::uint32_t k = s.begin; k < s.end; ++k)
                    owner[k] = -1;
                s.kind = Kind::None;
                s.type.clear();
            }
        }
    }
};

namespace tagging {


// The span covering tokens [begin, end) exactly, or nullptr.
const Span *spanOver(const EntityTagger::Context &cx, std::size_t begin, std::size_t end);

inline bool isOpeningQuote(const EntityTagger::Context &cx, std::size_t i)
{
    return cx.isChar(i, u'"') || cx.isChar(i, u'\u201c') || cx.isChar(i, u'\u2018') || cx.isChar(i, u'\'');
}

inline bool isClosingQuote(const EntityTagger::Context &cx, std::size_t i)
{
    return cx.isChar(i, u'"') || cx.isChar(i, u'\u201d') || cx.isChar(i, u'\u2019') || cx.isChar(i, u'\'');
}

// Words between a category noun and the first name of its list.
inline bool isListOpener(std::u16string_view f)
{
    return f == u"such" || f == u"as" || f == u"including" || f == u"like" || f == u"namely";
}

// Nouns for the groups behind attacks; a name right after one is theirs.
inline bool isGroupNoun(std::u16string_view f)
{
    return f == u"group" || f == u"groups" || f == u"gang" || f == u"gangs" || f == u"collective" || f == u"faction"
        || f == u"outfit" || f == u"crew" || f == u"actor" || f == u"actors";
}

// Nouns that name malicious software and nothing else (unlike "exploit",
// "loader" or "bot", which are verbs or ordinary words too).
inline bool isMalwareNoun(std::u16string_view f)
{
    return f == u"malware" || f == u"ransomware" || f == u"worm" || f == u"wiper" || f == u"botnet" || f == u"trojan"
        || f == u"spyware" || f == u"rootkit" || f == u"virus" || f == u"cryptoworm" || f == u"infostealer"
        || f == u"keylogger";
}

// Whether the initials of the words in [begin, end), connectors and "and"
// left out, spell the all-capitals token `initials`: "Federal Bureau of
// Investigation" and "FBI".
inline bool initialsMatch(const EntityTagger::Context &cx, std::size_t begin, std::size_t end, std::size_t initials)
{
    const std::u16string_view want = cx.fold(initials);
    std::size_t at = 0;
    for (std::size_t x = begin; x < end; ++x) {
        if (!cx.isWord(x) || cx.is(x, W::Connector) || cx.fold(x) == u"and" || cx.fold(x) == u"the")
            continue;
        const std::u16string_view f = cx.fold(x);
        if (f.empty() || at >= want.size() || f[0] != want[at])
            return false;
        ++at;
    }
    return at == want.size() && at >= 2;
}

// The span covering tokens [begin, end) exactly, or nullptr.
inline const Span *spanOver(const EntityTagger::Context &cx, std::size_t begin, std::size_t end)
{
    if (begin >= end || cx.owner[begin] < 0)
        return nullptr;
    const Span &s = cx.spans[static_cast<std::size_t>(cx.owner[begin])];
    return s.begin == begin && s.end == end && !s.type.empty() ? &s : nullptr;
}

// The decision pass (TaggerDecision.cpp) -----------------------------------

// What surrounds a free stretch of a run, as the rules read it.
struct StretchCues {
    int words = 0; // words of the stretch, connectors and hyphens aside
    bool titled = false; // a title before or inside: "Mr.", "President"
    bool roleBefore = false; // a lower-case role noun before: "spokesman Ivo Drenn"
    bool saidBefore = false; // a speech verb before: "said Ivo Drenn"
    bool companyNounBefore = false; // a bare company noun before: "the firm Acme"
    bool companyCue = false; // what only a company has: "shares of X", "X's chief executive", "rival X", "acquired X"
    bool givenFirst = false; // the first word is a given name
    bool speechAfter = false; // a speech verb after: "Ivo Drenn said"
    bool operationName = false; // "Operation X Y"
    bool administration = false; // "the Trump administration"
    bool appositionPerson = false; // an apposition after that makes a person: ", the president of"
    bool appositionCompany = false; // ... a company: ", a Russian firm"
    bool appositionOrg = false; // ... an organisation: ", an agency"
    bool appositionAttack = false; // ... an attack: ", a worm"
    bool whoAfter = false; // ", who" after
    Kind nounBefore = Kind::None; // a category noun before: "the hacker group X"
    bool groupAfter = false; // "the X group"
    bool spelledOut = false; // spelled out before its initials: "Democratic National Committee (DNC)"
    Kind initialsOf = Kind::None; // initials in brackets after a name of this kind
    std::string initialsCanonical; // that name, the initials' canonical form
    Kind bracketedOf = Kind::None; // another name in brackets after a name of this kind: "(now Mandiant)"
    bool attackCue = false; // an attack noun after, or "a worm called X"
    bool codeNamed = false; // "codenamed X", "code-named X"
    bool nameLike = false; // no head or (alone) common word: can be a person's name
    bool headLike = false; // an organisation or company head among the words
    bool allCommon = false; // every word a common word
};

// How the rules read a stretch: its kind (None: no name), the rule that
// decided (TaggedSpan::provenance), a canonical name when not the surface,
// and whether only given names made it a person ("Morgan Stanley").
struct Reading {
    Kind kind = Kind::None;
    const char *rule = nullptr;
    std::string canonical;
    bool givenNamesOnly = false;
};

// A run read as a whole: an organisation's full name by its head ("United
// States Department of Justice"), "Operation X", a company by its suffix
// or head ("Acme Corp."). True when the run is settled: read, or holding
// no word the lists left open.
bool readWholeRun(EntityTagger::Context &cx, std::size_t begin, std::size_t end);
// The cues around the free stretch [s, t): `titledInside` when titles
// inside the run were cut from its front ("FBI Director Christopher Wray").
StretchCues stretchCues(const EntityTagger::Context &cx, std::size_t s, std::size_t t, bool titledInside);
// The rules in order of precedence over a stretch's cues.
Reading readStretch(const EntityTagger::Context &cx, std::size_t s, std::size_t t, const StretchCues &cues);
// The pass: every run, whole and then stretch by stretch.
void decideRuns(EntityTagger::Context &cx, const std::vector<EntityTagger::Run> &runs);

// The voting pass (TaggerVoting.cpp): a name the rules read two ways in
// one document takes the reading most of its mentions have.
void voteReadings(EntityTagger::Context &cx);

} // namespace tagging

// The tagger's own passes one by one, for their tests: a nested class
// sees EntityTagger's private members.
struct EntityTagger::Passes {
    static void markHeadlines(Context &cx) { EntityTagger::markHeadlines(cx); }
    static void applyGazetteer(EntityTagger &tagger, Context &cx) { tagger.applyGazetteer(cx); }
    static std::vector<Run> buildRuns(Context &cx) { return EntityTagger::buildRuns(cx); }
    static void propagateKnown(EntityTagger &tagger, Context &cx) { tagger.propagateKnown(cx); }
    static void propagateAliases(EntityTagger &tagger, Context &cx) { tagger.propagateAliases(cx); }
    static void propagateLists(EntityTagger &tagger, Context &cx, const std::vector<Run> &runs)
    {
        tagger.propagateLists(cx, runs);
    }
    static void dropNonNationUses(EntityTagger &tagger, Context &cx) { tagger.dropNonNationUses(cx); }
    static bool applyModel(EntityTagger &tagger, Context &cx) { return tagger.applyModel(cx); }
};

} // namespace lede
