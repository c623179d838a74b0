#include "core/EntityTagger.h"

#include "core/EmbeddedResources.h"
#include "core/Text.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace lede {

namespace {

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
    Computed = 1u << 31,
};
}

// The word classes of resources/lexicons/word-classes.txt: "[section]"
// lines name a class, the words after it (separated by white space) are
// in it, "#" starts a comment.
std::vector<std::pair<std::uint32_t, std::string_view>> parseWordClasses(std::string_view lexicon)
{
    static constexpr std::pair<std::string_view, std::uint32_t> kSections[] = {
        {"stop", W::Stop},
        {"title", W::Title},
        {"role", W::Role},
        {"speech", W::Speech},
        {"organization-head", W::OrgHead},
        {"company-head", W::CompanyHead},
        {"legal", W::Legal},
        {"company-noun", W::CompanyNoun},
        {"attack-strong", W::AttackStrong},
        {"attack-weak", W::AttackWeak},
        {"connector", W::Connector},
        {"apposition-start", W::AppositionStart},
        {"hyphen-suffix", W::HyphenSuffix},
        {"product", W::Product},
    };
    std::vector<std::pair<std::uint32_t, std::string_view>> out;
    std::uint32_t bits = 0;
    std::size_t pos = 0;
    while (pos < lexicon.size()) {
        std::size_t nl = lexicon.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = lexicon.size();
        std::string_view line = lexicon.substr(pos, nl - pos);
        pos = nl + 1;
        if (const std::size_t hash = line.find('#'); hash != std::string_view::npos)
            line = line.substr(0, hash);
        line = text::trim(line);
        if (line.empty())
            continue;
        if (line.front() == '[' && line.back() == ']') {
            const std::string_view name = line.substr(1, line.size() - 2);
            bits = 0;
            for (const auto &[section, b] : kSections)
                if (section == name)
                    bits = b;
            continue;
        }
        while (!line.empty()) {
            const std::size_t space = line.find_first_of(" \t");
            const std::string_view word = line.substr(0, space);
            if (bits != 0 && !word.empty())
                out.emplace_back(bits, word);
            line = space == std::string_view::npos ? std::string_view() : text::trim(line.substr(space));
        }
    }
    return out;
}

const std::vector<std::pair<std::uint32_t, std::string_view>> &wordClassEntries()
{
    static const auto entries = parseWordClasses(resources::wordClasses());
    return entries;
}

enum class Kind : std::uint8_t { None, Person, Company, Nation, Attack, Organization, Block };

std::string_view kindName(Kind k)
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

Kind kindOf(std::string_view type)
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
    // Why the tagger read it (TaggedSpan::provenance), and how sure it is.
    std::string provenance;
    float confidence = 1.0f;
};

} // namespace

// How often a name read for this reason is right: the precision of each
// list and rule on the relabelled training corpora (never the development
// corpus), measured with
//   lede-cli train build/ner-train --provenance --without annoctr,btc,crossner,cyner,sec-filings,uner-pud,wnut17
// (news, Wikipedia and report prose that mark every name: GUM, Re-DocRED,
// re3d, UNER-EWT, wikigold) and, for attacks, which only AnnoCTR and CyNER
// mark, with --without all but annoctr,cyner. Where the corpora give too
// few names or do not mark the kind at all ("Operation X"), 0.6, about the
// median rule's. The analyst's own names are taken as sure. Names the
// model found carry its own confidence; names repeated through the
// document that of the name they repeat.
float provenanceConfidence(std::string_view provenance)
{
    struct Entry {
        std::string_view prefix;
        float confidence;
    };
    static constexpr Entry kTable[] = {
        {"gazetteer:learned", 0.95f},
        {"gazetteer:curated:persons", 0.92f},
        {"gazetteer:mitre-attack", 0.87f},
        {"gazetteer:curated:attacks", 0.86f},
        {"gazetteer:curated:organizations", 0.78f},
        {"gazetteer:curated:nations", 0.78f},
        {"gazetteer:curated:companies", 0.57f},
        {"gazetteer:sp500", 0.54f},
        {"gazetteer", 0.78f},
        {"rule:administration", 0.92f},
        {"rule:given-names-only", 0.88f},
        {"rule:given-name", 0.87f},
        {"rule:initials", 0.71f},
        {"rule:organization-head", 0.71f},
        {"rule:title", 0.66f},
        {"rule:company-head", 0.63f},
        {"rule:list", 0.62f},
        {"rule:person-context", 0.59f},
        {"rule:legal-suffix", 0.58f},
        {"rule:category-noun", 0.55f},
        {"rule:apposition", 0.48f},
        {"rule:spelled-out", 0.41f},
        {"rule:attack-cue", 0.30f},
    };
    for (const Entry &e : kTable)
        if (provenance.starts_with(e.prefix))
            return e.confidence;
    return 0.6f;
}

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

namespace {

// The span covering tokens [begin, end) exactly, or nullptr.
const Span *spanOver(const EntityTagger::Context &cx, std::size_t begin, std::size_t end);

bool isOpeningQuote(const EntityTagger::Context &cx, std::size_t i)
{
    return cx.isChar(i, u'"') || cx.isChar(i, u'\u201c') || cx.isChar(i, u'\u2018') || cx.isChar(i, u'\'');
}

bool isClosingQuote(const EntityTagger::Context &cx, std::size_t i)
{
    return cx.isChar(i, u'"') || cx.isChar(i, u'\u201d') || cx.isChar(i, u'\u2019') || cx.isChar(i, u'\'');
}

// Words between a category noun and the first name of its list.
bool isListOpener(std::u16string_view f)
{
    return f == u"such" || f == u"as" || f == u"including" || f == u"like" || f == u"namely";
}

// Nouns for the groups behind attacks; a name right after one is theirs.
bool isGroupNoun(std::u16string_view f)
{
    return f == u"group" || f == u"groups" || f == u"gang" || f == u"gangs" || f == u"collective" || f == u"faction"
        || f == u"outfit" || f == u"crew" || f == u"actor" || f == u"actors";
}

// Nouns that name malicious software and nothing else (unlike "exploit",
// "loader" or "bot", which are verbs or ordinary words too).
bool isMalwareNoun(std::u16string_view f)
{
    return f == u"malware" || f == u"ransomware" || f == u"worm" || f == u"wiper" || f == u"botnet" || f == u"trojan"
        || f == u"spyware" || f == u"rootkit" || f == u"virus" || f == u"cryptoworm" || f == u"infostealer"
        || f == u"keylogger";
}

// Whether the initials of the words in [begin, end), connectors and "and"
// left out, spell the all-capitals token `initials`: "Federal Bureau of
// Investigation" and "FBI".
bool initialsMatch(const EntityTagger::Context &cx, std::size_t begin, std::size_t end, std::size_t initials)
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

} // namespace

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
    // LEDE_NO_MODEL=1 tags with the rules alone, to compare.
    if (const char *off = std::getenv("LEDE_NO_MODEL"); !off || std::string_view(off) != "1") {
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

bool EntityTagger::listed(std::string_view type, std::string_view surface) const
{
    const std::u16string wide = text::toUtf16(surface);
    Tokenizer tokenizer;
    const std::vector<Token> toks = tokenizer.tokenize(wide, false);
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

// The model reads each sentence and proposes names; the rules have spoken
// first. A name it is sure of goes in where no list or rule put one,
// except on headline lines, where capitals say nothing. Where it reads a
// person's full name over a one-word nation from the lists ("Lisa
// Monaco"), the person wins: a nation's name as part of a longer name is
// rarely the nation.
bool EntityTagger::applyModel(Context &cx)
{
    if (!m_model)
        return false;
    const std::size_t spansBefore = cx.spans.size();
    const std::size_t n = cx.tokens.size();
    ner::GazetteerHits hits;
    hits.type.assign(n, 0);
    hits.begins.assign(n, 0);
    hits.length.assign(n, 0);
    hits.classes = cx.classes;

    for (const Span &s : cx.spans) {
        if (!s.fromGazetteer)
            continue;
        const int type = s.kind == Kind::Block ? static_cast<int>(ner::kTypes.size()) : ner::typeIndex(s.type);
        for (std::uint32_t k = s.begin; k < s.end; ++k) {
            hits.type[k] = static_cast<std::uint8_t>(type + 1);
            hits.begins[k] = k == s.begin;
            hits.length[k] = static_cast<std::uint8_t>(std::min<std::uint32_t>(s.end - s.begin, 4));
        }
    }
    std::vector<std::uint64_t> hashes;
    std::vector<std::uint32_t> offsets;
    ner::GazetteerHits sentenceHits;
    std::vector<std::u16string_view> folds(n);
    for (std::size_t i = 0; i < n; ++i)
        folds[i] = cx.fold(i);
    hits.document = ner::documentHints(cx.tokens, folds.data(), cx.text);
    // The model reads stretches around the capitalised words the rules
    // left free (a word either side, and lower-case words between two such
    // words, as in "Bank of America"), in the context of their sentence;
    // elsewhere nothing can gain a name.
    //
    // Rules guess where the model has learned: a name the model is sure of
    // replaces what a rule (never a list) read over the same words. It
    // never removes a rule's name on its own: a veto cost recall on
    // held-out corpora (train --cross) as often as it saved precision.
    auto ruleOwned = [&](std::size_t k) {
        return cx.owner[k] >= 0 && !cx.spans[static_cast<std::size_t>(cx.owner[k])].fromGazetteer;
    };
    auto candidate = [&](std::size_t k) {
        return (cx.owner[k] < 0 || ruleOwned(k)) && !cx.headline[k] && cx.isNameWord(k);
    };
    for (std::size_t a = 0; a < n;) {
        std::size_t b = a + 1;
        while (b < n && !cx.tokens[b].has(Token::SentenceStart) && !cx.tokens[b].has(Token::ParagraphStart))
            ++b;
        bool any = false;
        for (std::size_t k = a; k < b && !any; ++k)
            any = candidate(k);
        if (!any) {
            a = b;
            continue;
        }
        for (auto [from, to] : {std::pair{&hits.type, &sentenceHits.type}, std::pair{&hits.begins, &sentenceHits.begins},
                                std::pair{&hits.length, &sentenceHits.length}})
            to->assign(from->begin() + static_cast<std::ptrdiff_t>(a), from->begin() + static_cast<std::ptrdiff_t>(b));
        sentenceHits.classes.assign(hits.classes.begin() + static_cast<std::ptrdiff_t>(a),
                                    hits.classes.begin() + static_cast<std::ptrdiff_t>(b));
        sentenceHits.document.assign(hits.document.begin() + static_cast<std::ptrdiff_t>(a),
                                     hits.document.begin() + static_cast<std::ptrdiff_t>(b));
        for (std::size_t k = a; k < b;) {
            if (!candidate(k)) {
                ++k;
                continue;
            }
            std::size_t last = k;
            for (std::size_t j = k + 1; j < b && j <= last + 3; ++j)
                if (candidate(j))
                    last = j;
            const std::size_t first = k > a ? k - 1 : a;
            const std::size_t end = std::min(b, last + 2);
            m_features.extract(cx.text, cx.tokens.data() + a, b - a, sentenceHits, first - a, end - a, folds.data() + a,
                               hashes, offsets);
            for (const ner::Mention &m : m_model->tag(hashes, offsets, first == a ? -1 : 0))
                takeMention(cx, static_cast<std::uint32_t>(first + m.begin), static_cast<std::uint32_t>(first + m.end), m);
            k = end;
        }
        a = b;
    }
    return cx.spans.size() != spansBefore;
}

void EntityTagger::takeMention(Context &cx, std::uint32_t begin, std::uint32_t end, const ner::Mention &m)
{
    if (m.confidence < kModelConfidence)
        return;
    for (std::uint32_t k = begin; k < end; ++k)
        if (cx.headline[k])
            return;
    const std::string_view type = ner::kTypes[static_cast<std::size_t>(m.type)];
    if (!cx.free(begin, end)) {
        // Over what rules alone read, the model's reading wins.
        bool rulesOnly = true, same = false;
        for (std::uint32_t k = begin; k < end; ++k) {
            if (cx.owner[k] < 0)
                continue;
            const Span &o = cx.spans[static_cast<std::size_t>(cx.owner[k])];
            rulesOnly = rulesOnly && !o.fromGazetteer && o.begin >= begin && o.end <= end;
            same = same || (o.begin == begin && o.end == end && o.kind == kindOf(type));
        }
        if (same)
            return;
        if (rulesOnly) {
            cx.clear(begin, end);
            cx.add({begin, end, kindOf(type), std::string(type), {}, false}, "model", m.confidence);
            return;
        }
    }
    if (!cx.free(begin, end)) {
        // The one case where the model overrules the lists.
        if (type != "PERSON" || end - begin < 2)
            return;
        int taken = 0;
        bool nationOnly = true;
        for (std::uint32_t k = begin; k < end; ++k) {
            if (cx.owner[k] < 0)
                continue;
            const Span &o = cx.spans[static_cast<std::size_t>(cx.owner[k])];
            nationOnly = nationOnly && o.fromGazetteer && o.kind == Kind::Nation && o.end - o.begin == 1 && o.begin >= begin
                && o.end <= end;
            ++taken;
        }
        if (!nationOnly || taken != 1)
            return;
        cx.clear(begin, end);
    }
    cx.add({begin, end, kindOf(type), std::string(type), {}, false}, "model", m.confidence);
}

// 3. Document-level consistency: every name tagged once, and a person's
// surname or a company's first word, is tagged alike wherever else it
// stands untagged.
void EntityTagger::propagateKnown(Context &cx)
{
    const std::vector<Token> &tokens = cx.tokens;
    const std::size_t n = tokens.size();
    // Every name tagged once, and a
    // person's surname or a company's first word, is tagged alike wherever
    // else it stands untagged.
    struct Known {
        Kind kind;
        std::string type;
        std::string canonical;
        float confidence; // of the name it repeats
    };
    std::unordered_map<std::u16string, Known> known;
    std::size_t maxKeyTokens = 1;
    const std::size_t spanCount = cx.spans.size();
    // Longer names first, so that "Smith" means the "Brad Smith" of this
    // document rather than a bare "Smith" met before him.
    std::vector<std::size_t> order(spanCount);
    for (std::size_t si = 0; si < spanCount; ++si)
        order[si] = si;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return cx.spans[a].end - cx.spans[a].begin > cx.spans[b].end - cx.spans[b].begin;
    });
    for (const std::size_t si : order) {
        const Span &s = cx.spans[si];
        if (s.type.empty() || s.kind == Kind::Block)
            continue;
        auto [entry, added] = known.try_emplace(cx.key(s.begin, s.end));
        if (added)
            entry->second = Known{s.kind, s.type, s.canonical.empty() ? cx.surfaceUtf8(s.begin, s.end) : s.canonical,
                                  s.confidence};
        const std::string &canonical = entry->second.canonical;
        maxKeyTokens = std::max<std::size_t>(maxKeyTokens, s.end - s.begin);
        if (s.kind == Kind::Person && s.end - s.begin >= 2) {
            std::size_t lastTok = s.end - 1;
            if (tokens[lastTok].has(Token::Word) && tokens[lastTok].has(Token::Capitalized)
                && !cx.is(lastTok, W::Stop))
                known.emplace(std::u16string(cx.fold(lastTok)), Known{s.kind, s.type, canonical, s.confidence * 0.95f});
            // "Brad Smith" also as "Smith-Jones"? no: surnames only.
        }
        if (s.kind == Kind::Company && s.end - s.begin >= 2 && tokens[s.begin].has(Token::Capitalized)
            && cx.is(s.end - 1, W::CompanyHead) && !cx.is(s.begin, W::Stop))
            known.emplace(std::u16string(cx.fold(s.begin)), Known{s.kind, s.type, canonical, s.confidence * 0.95f});
    }
    // A person found by a rule under a surname alone ("Mr. Smith") is the
    // person of that surname named in full elsewhere in the document.
    for (Span &s : cx.spans) {
        if (s.kind != Kind::Person || s.fromGazetteer || s.end - s.begin != 1)
            continue;
        auto it = known.find(cx.key(s.begin, s.end));
        if (it != known.end() && it->second.kind == Kind::Person)
            s.canonical = it->second.canonical;
    }
    // First tokens of the known names, by hash: most capitalised words are
    // ruled out without building a key.
    std::unordered_set<std::size_t> firstTokens;
    for (const auto &[k, v] : known)
        firstTokens.insert(std::hash<std::u16string_view>{}(std::u16string_view(k).substr(0, k.find(u'\x1f'))));
    for (std::size_t i = 0; i < n; ++i) {
        if (cx.owner[i] >= 0 || !tokens[i].has(Token::Word) || !tokens[i].has(Token::Capitalized)
            || cx.is(i, W::Stop) || !firstTokens.count(std::hash<std::u16string_view>{}(cx.fold(i))))
            continue;
        for (std::size_t len = std::min(maxKeyTokens, n - i); len >= 1; --len) {
            if (!cx.free(i, i + len))
                continue;
            auto it = known.find(cx.key(i, i + len));
            if (it == known.end())
                continue;
            // A longer capitalised name continues past the match: "Smith
            // Barney" is not Mr. Smith.
            if (i + len < n && cx.isNameWord(i + len) && !tokens[i + len].has(Token::SentenceStart)
                && !tokens[i + len].has(Token::NewlineBefore) && it->second.kind == Kind::Person && len == 1)
                break;
            // As sure as the name it repeats (a part of it a little less).
            cx.add({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + len), it->second.kind,
                    it->second.type, it->second.canonical, false},
                   "document", it->second.confidence);
            i += len - 1;
            break;
        }
    }

}

std::vector<TaggedSpan> EntityTagger::tag(std::string_view utf8)
{
    const std::u16string text = text::toUtf16(utf8);
    const std::vector<Token> tokens = m_tokenizer.tokenize(text);
    const FoldedTokens folded(text, tokens);
    Context cx(text, tokens, folded);

    const std::size_t n = tokens.size();

    // Title-case lines (headlines, bylines) capitalise ordinary words;
    // there only the gazetteers and document-level names apply.
    {
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

    // 1. Gazetteer names, longest first, left to right.
    const std::vector<std::uint32_t> ids = m_gazetteer.tokenIds(folded);
    cx.classes = wordClasses(ids);
    for (std::size_t i = 0; i < n;) {
        if (ids[i] == Gazetteer::kNoToken) {
            ++i;
            continue;
        }
        auto m = m_gazetteer.longestMatch(text, tokens, ids, i);
        if (!m) {
            ++i;
            continue;
        }
        const Gazetteer::Entity &e = m_gazetteer.entity(m->entity);
        Span s;
        s.begin = m->begin;
        s.end = m->end;
        s.kind = e.nonEntity ? Kind::Block : kindOf(e.type);
        s.type = e.nonEntity ? std::string() : e.type;
        s.canonical = e.canonical;
        s.fromGazetteer = true;
        cx.add(std::move(s), e.source.empty() ? std::string("gazetteer") : "gazetteer:" + e.source);
        i = m->end;
    }
    // A name the analyst taught (and no list knows) is a whole name: where
    // it is only part of a longer run of capitalised words ("Stanley" in
    // "William Stanley", "League" in "Defamation Action League"), the
    // rules and the model read the longer name instead.
    for (Span &s : cx.spans) {
        if (s.provenance != "gazetteer:learned" || s.kind == Kind::None || s.kind == Kind::Block)
            continue;
        const bool before = s.begin > 0 && !tokens[s.begin].has(Token::SentenceStart)
            && tokens[s.begin].has(Token::SpaceBefore) && cx.owner[s.begin - 1] < 0 && cx.isNameWord(s.begin - 1);
        const bool after = s.end < n && !tokens[s.end].has(Token::SentenceStart) && tokens[s.end].has(Token::SpaceBefore)
            && cx.owner[s.end] < 0 && cx.isNameWord(s.end, true) && !tokens[s.end].has(Token::HasDigit);
        if (before || after)
            cx.clear(s.begin, s.end);
    }

    // 2. Capitalised runs: gazetteer names and unknown name words joined by
    // connectors ("of", "&"), initials ("J.") and tight hyphens.
    std::vector<Run> runs;
    for (std::size_t i = 0; i < n;) {
        auto startsUnit = [&](std::size_t k, bool continuing) {
            if (k >= n)
                return false;
            if (cx.owner[k] >= 0)
                return cx.spans[static_cast<std::size_t>(cx.owner[k])].kind != Kind::Block
                    && cx.spans[static_cast<std::size_t>(cx.owner[k])].begin == k;
            if (cx.isNameWord(k, continuing))
                return true;
            // "Operation Aurora" opens a name even at a sentence start.
            if (tokens[k].has(Token::Capitalized) && cx.fold(k) == u"operation" && k + 1 < n
                && tokens[k + 1].has(Token::Capitalized) && !cx.is(k + 1, W::Stop))
                return true;
            // A title word opens an organisation's name when a head follows:
            // "Foreign Office", "Justice Department", "State Duma".
            return tokens[k].has(Token::Capitalized) && cx.is(k, W::Title) && !cx.is(k, W::Stop) && k + 1 < n
                && cx.owner[k + 1] < 0 && tokens[k + 1].has(Token::Capitalized) && cx.is(k + 1, W::OrgHead)
                && !tokens[k + 1].has(Token::SentenceStart);
        };
        if (!startsUnit(i, false)) {
            ++i;
            continue;
        }
        std::size_t end = i;
        bool afterInitial = false;
        for (;;) {
            // Take one unit at `end`.
            afterInitial = false;
            if (cx.owner[end] >= 0) {
                end = cx.spans[static_cast<std::size_t>(cx.owner[end])].end;
            } else if (cx.isInitial(end)) {
                end += 2;
                afterInitial = true;
            } else {
                ++end;
            }
            if (end >= n || tokens[end].has(Token::ParagraphStart))
                break;
            // A tight hyphen joins a word: "Kim Kuk-song", "Hewlett-Packard";
            // but "Mirai-based" or "Russian-speaking" end the name.
            if ((cx.isChar(end, u'-') || cx.isChar(end, u'\u2010')) && !tokens[end].has(Token::SpaceBefore)
                && end + 1 < n && !tokens[end + 1].has(Token::SpaceBefore) && cx.isWord(end + 1)
                && cx.owner[end] < 0 && cx.owner[end + 1] < 0 && !cx.is(end + 1, W::HyphenSuffix)) {
                end += 1;
                continue;
            }
            // ICU may end a sentence after an initial ("Edward J. Snowden").
            if (tokens[end].has(Token::SentenceStart) && !afterInitial)
                break;
            if (startsUnit(end, true) || (cx.owner[end] < 0 && cx.isInitial(end) && end + 2 < n && startsUnit(end + 2, true))) {
                continue;
            }
            if (cx.owner[end] < 0 && cx.is(end, W::Connector) && startsUnit(end + 1, true)
                && !tokens[end + 1].has(Token::SentenceStart) && !cx.tokens[end].has(Token::Capitalized)) {
                end += 1;
                continue;
            }
            break;
        }
        runs.push_back({i, end});
        i = end;
    }

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

namespace {

const Span *spanOver(const EntityTagger::Context &cx, std::size_t begin, std::size_t end)
{
    if (begin >= end || cx.owner[begin] < 0)
        return nullptr;
    const Span &s = cx.spans[static_cast<std::size_t>(cx.owner[begin])];
    return s.begin == begin && s.end == end && !s.type.empty() ? &s : nullptr;
}

} // namespace

} // namespace lede
