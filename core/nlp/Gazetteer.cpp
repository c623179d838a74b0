#include "core/nlp/Gazetteer.h"

#include "core/text/Hash.h"
#include "core/text/Text.h"
#include "core/text/WordTable.h"

#include <unicode/uchar.h>

#include <map>

namespace lede {

namespace {

std::uint64_t mix(std::uint64_t x) { return text::mix64(x); }

// Trie edges: (node, token id) → child node, open addressing.
class EdgeTable {
public:
    std::uint32_t find(std::uint32_t node, std::uint32_t token) const
    {
        if (m_slots.empty())
            return 0;
        const std::uint64_t key = (std::uint64_t(node) << 32) | token;
        for (std::size_t i = mix(key) & m_mask;; i = (i + 1) & m_mask) {
            const Slot &s = m_slots[i];
            if (s.child == 0)
                return 0;
            if (s.key == key)
                return s.child;
        }
    }

    void insert(std::uint32_t node, std::uint32_t token, std::uint32_t child)
    {
        if ((m_count + 1) * 2 > m_slots.size())
            grow();
        const std::uint64_t key = (std::uint64_t(node) << 32) | token;
        std::size_t i = mix(key) & m_mask;
        while (m_slots[i].child != 0)
            i = (i + 1) & m_mask;
        m_slots[i] = {key, child};
        ++m_count;
    }

private:
    struct Slot {
        std::uint64_t key = 0;
        std::uint32_t child = 0; // 0 = empty (the root is never a child)
    };

    void grow()
    {
        std::vector<Slot> old = std::move(m_slots);
        m_slots.assign(old.empty() ? 4096 : old.size() * 2, Slot{});
        m_mask = m_slots.size() - 1;
        for (const Slot &s : old) {
            if (s.child == 0)
                continue;
            std::size_t i = mix(s.key) & m_mask;
            while (m_slots[i].child != 0)
                i = (i + 1) & m_mask;
            m_slots[i] = s;
        }
    }

    std::vector<Slot> m_slots;
    std::size_t m_mask = 0;
    std::size_t m_count = 0;
};

struct Form {
    std::uint32_t entity = 0;
    std::uint32_t next = 0xFFFFFFFFu; // next form ending at the same node
    bool caseSensitive = false;
    bool lowerInitial = false;
    std::u16string exact; // the form's tokens concatenated, as written
};

} // namespace

struct Gazetteer::Impl {
    Tokenizer tokenizer;
    WordTable tokens; // folded token → dense token id
    EdgeTable edges;
    std::vector<std::uint32_t> nodeForms{0xFFFFFFFFu}; // per node: first form ending there; node 0 is the root
    std::vector<Form> forms;
    std::vector<Entity> entities;
    // Children of the root by token id: most tokens start no name, and an
    // array answers that without a hash probe.
    std::vector<std::uint32_t> rootChildren;
    std::map<std::pair<std::string, std::string>, std::uint32_t> entityIndex;
};

Gazetteer::Gazetteer()
    : d(std::make_unique<Impl>())
{
}

Gazetteer::~Gazetteer() = default;
Gazetteer::Gazetteer(Gazetteer &&) noexcept = default;
Gazetteer &Gazetteer::operator=(Gazetteer &&) noexcept = default;

std::size_t Gazetteer::entityCount() const { return d->entities.size(); }

std::uint32_t Gazetteer::internToken(std::u16string_view folded)
{
    return d->tokens.insert(folded, static_cast<std::uint32_t>(d->tokens.size()));
}
std::size_t Gazetteer::formCount() const { return d->forms.size(); }
const Gazetteer::Entity &Gazetteer::entity(std::uint32_t index) const { return d->entities[index]; }

std::uint32_t Gazetteer::add(std::string_view type, std::string_view canonical, std::string_view form,
                             bool caseSensitive, bool nonEntity, std::string_view source)
{
    auto key = std::make_pair(std::string(type), std::string(canonical));
    auto [it, created] = d->entityIndex.emplace(key, static_cast<std::uint32_t>(d->entities.size()));
    if (created)
        d->entities.push_back({key.first, key.second, nonEntity, std::string(source)});
    const std::uint32_t entityIndex = it->second;

    const std::u16string text = text::toUtf16(form);
    const std::vector<Token> toks = d->tokenizer.tokenize(text, false);
    if (toks.empty())
        return entityIndex;
    std::uint32_t node = 0;
    std::u16string exact;
    for (const Token &t : toks) {
        const std::u16string_view surface = std::u16string_view(text).substr(t.u16Start, t.u16End - t.u16Start);
        exact += surface;
        const std::uint32_t id = d->tokens.insert(foldForMatch(surface), static_cast<std::uint32_t>(d->tokens.size()));
        std::uint32_t child = d->edges.find(node, id);
        if (child == 0) {
            child = static_cast<std::uint32_t>(d->nodeForms.size());
            d->nodeForms.push_back(0xFFFFFFFFu);
            d->edges.insert(node, id, child);
            if (node == 0) {
                if (id >= d->rootChildren.size())
                    d->rootChildren.resize(id + 1, 0);
                d->rootChildren[id] = child;
            }
        }
        node = child;
    }
    // The same form for the same entity twice adds nothing.
    for (std::uint32_t f = d->nodeForms[node]; f != 0xFFFFFFFFu; f = d->forms[f].next)
        if (d->forms[f].entity == entityIndex && d->forms[f].exact == exact && d->forms[f].caseSensitive == caseSensitive)
            return entityIndex;
    Form f;
    f.entity = entityIndex;
    f.caseSensitive = caseSensitive;
    f.lowerInitial = !exact.empty() && u_islower(exact[0]);
    f.exact = std::move(exact);
    f.next = d->nodeForms[node];
    d->nodeForms[node] = static_cast<std::uint32_t>(d->forms.size());
    d->forms.push_back(std::move(f));
    return entityIndex;
}

Status Gazetteer::loadTsv(std::string_view tsv)
{
    text::LineReader lines(tsv);
    for (std::string_view line; lines.next(line);) {
        const std::size_t lineNo = lines.number();
        if (line.empty() || line[0] == '#')
            continue;
        std::vector<std::string_view> cols;
        std::size_t c = 0;
        for (;;) {
            const std::size_t tab = line.find('\t', c);
            cols.push_back(line.substr(c, tab == std::string_view::npos ? std::string_view::npos : tab - c));
            if (tab == std::string_view::npos)
                break;
            c = tab + 1;
        }
        if (cols.size() < 2 || cols[0].empty() || cols[1].empty())
            return makeError("gazetteer line " + std::to_string(lineNo) + ": expected TYPE, name, aliases, flags");
        const bool nonEntity = cols.size() > 3 && cols[3].find("nonentity") != std::string_view::npos;
        std::string_view canonical = cols[1];
        const bool canonicalCase = canonical[0] == '=';
        if (canonicalCase)
            canonical.remove_prefix(1);
        const std::string_view source = cols.size() > 4 ? cols[4] : std::string_view{};
        add(cols[0], canonical, canonical, canonicalCase, nonEntity, source);
        if (cols.size() > 2) {
            std::string_view aliases = cols[2];
            while (!aliases.empty()) {
                const std::size_t bar = aliases.find('|');
                std::string_view alias = aliases.substr(0, bar);
                aliases = bar == std::string_view::npos ? std::string_view{} : aliases.substr(bar + 1);
                const bool cs = !alias.empty() && alias[0] == '=';
                if (cs)
                    alias.remove_prefix(1);
                if (!alias.empty())
                    add(cols[0], canonical, alias, cs, nonEntity, source);
            }
        }
    }
    return {};
}

std::vector<std::uint32_t> Gazetteer::tokenIds(std::u16string_view text, const std::vector<Token> &tokens) const
{
    return tokenIds(FoldedTokens(text, tokens));
}

std::vector<std::uint32_t> Gazetteer::tokenIds(const FoldedTokens &folded) const
{
    std::vector<std::uint32_t> ids(folded.size(), kNoToken);
    d->tokens.findMany(folded.size(), [&](std::size_t i) { return folded[i]; }, ids.data());
    return ids;
}

std::optional<Gazetteer::Match> Gazetteer::longestMatch(std::u16string_view text, const std::vector<Token> &tokens,
                                                        const std::vector<std::uint32_t> &ids, std::size_t at) const
{
    std::optional<Match> best;
    if (ids[at] >= d->rootChildren.size() || d->rootChildren[ids[at]] == 0)
        return best;
    std::uint32_t node = 0;
    for (std::size_t j = at; j < tokens.size() && ids[j] != kNoToken; ++j) {
        node = node == 0 ? d->rootChildren[ids[j]] : d->edges.find(node, ids[j]);
        if (node == 0)
            break;
        for (std::uint32_t f = d->nodeForms[node]; f != 0xFFFFFFFFu; f = d->forms[f].next) {
            const Form &form = d->forms[f];
            bool ok;
            if (form.caseSensitive || form.lowerInitial) {
                // Compare the surfaces, token by token, with the form as written.
                std::size_t k = 0;
                ok = true;
                for (std::size_t t = at; t <= j && ok; ++t) {
                    const std::u16string_view s = text.substr(tokens[t].u16Start, tokens[t].u16End - tokens[t].u16Start);
                    ok = form.exact.compare(k, s.size(), s) == 0;
                    k += s.size();
                }
                ok = ok && k == form.exact.size();
            } else {
                const Token &first = tokens[at];
                ok = first.has(Token::Capitalized) || !u_isalpha(text[first.u16Start]);
            }
            if (ok) {
                best = Match{static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(j + 1), form.entity};
                break;
            }
        }
    }
    return best;
}

} // namespace lede
