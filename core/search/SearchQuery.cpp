#include "core/search/SearchQuery.h"

#include "core/text/IcuFtsTokenizer.h"
#include "core/text/Text.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <iterator>

namespace lede {

namespace {

// The reader works in two steps: a lexer cuts the text into lexemes, and
// a recursive-descent parser builds a tree of Nodes. Node differs from the
// public QueryNode only in also holding status: and origin:, which are
// lifted out of the tree once its shape is known (they must hang off the
// top-level AND, which is clear only after parsing).

enum class Field { Type, Entity, Status, Origin };

struct Lexeme {
    enum class Kind { Word, Phrase, Filter, Open, Close, And, Or, Not, End };
    Kind kind = Kind::End;
    std::string text;
    bool prefix = false;
    Field field = Field::Type;
};

struct Node {
    QueryNode::Kind kind = QueryNode::Kind::Word;
    std::string text;
    bool prefix = false;
    Field field = Field::Type;
    std::vector<Node> children;

    bool isQualifier() const
    {
        return kind == QueryNode::Kind::Filter && (field == Field::Status || field == Field::Origin);
    }
};

bool isSeparator(UChar32 c)
{
    return c < 0x20 || c == 0x7F || c == 0xFEFF || c == 0x200B || u_isUWhiteSpace(c);
}

bool isQuote(UChar32 c)
{
    return c == '"' || c == 0x201C || c == 0x201D || c == 0x201E || c == 0x00AB || c == 0x00BB;
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string asciiLower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c + ('a' - 'A'));
    return out;
}

class Lexer {
public:
    Lexer(std::string_view text, std::vector<std::string> &notes)
        : m_text(text)
        , m_notes(notes)
    {
    }

    Result<std::vector<Lexeme>> run()
    {
        std::vector<Lexeme> out;
        while (true) {
            skipSeparators();
            if (m_pos >= m_text.size())
                break;
            const UChar32 c = peek();
            if (c == '(' || c == ')') {
                out.push_back({c == '(' ? Lexeme::Kind::Open : Lexeme::Kind::Close, {}, false, Field::Type});
                ++m_pos;
            } else if (isQuote(c)) {
                Lexeme l{Lexeme::Kind::Phrase, quotedText(), false, Field::Type};
                l.prefix = stars();
                out.push_back(std::move(l));
            } else {
                LEDE_TRY_ASSIGN(auto word, wordLexeme());
                if (word.kind != Lexeme::Kind::End)
                    out.push_back(std::move(word));
            }
        }
        out.push_back({});
        return out;
    }

private:
    UChar32 peek() const
    {
        std::int32_t i = static_cast<std::int32_t>(m_pos);
        UChar32 c;
        U8_NEXT(m_text.data(), i, static_cast<std::int32_t>(m_text.size()), c);
        return c;
    }

    std::size_t nextPos() const
    {
        std::int32_t i = static_cast<std::int32_t>(m_pos);
        U8_FWD_1(m_text.data(), i, static_cast<std::int32_t>(m_text.size()));
        return static_cast<std::size_t>(i);
    }

    void skipSeparators()
    {
        while (m_pos < m_text.size() && isSeparator(peek()))
            m_pos = nextPos();
    }

    bool stars()
    {
        bool any = false;
        while (m_pos < m_text.size() && m_text[m_pos] == '*') {
            ++m_pos;
            any = true;
        }
        return any;
    }

    // Text from the quote at m_pos to the next quote of any kind, or to the
    // end when none follows. Control characters become spaces.
    std::string quotedText()
    {
        m_pos = nextPos();
        std::string out;
        while (m_pos < m_text.size()) {
            const UChar32 c = peek();
            const std::size_t next = nextPos();
            if (isQuote(c)) {
                m_pos = next;
                return out;
            }
            if (c < 0x20 || c == 0x7F)
                out.push_back(' ');
            else
                out.append(m_text.substr(m_pos, next - m_pos));
            m_pos = next;
        }
        m_notes.push_back("read the unclosed quote \"" + out + " to the end of the query");
        return out;
    }

    Result<Lexeme> wordLexeme()
    {
        const std::size_t start = m_pos;
        while (m_pos < m_text.size()) {
            const UChar32 c = peek();
            if (isSeparator(c) || isQuote(c) || c == '(' || c == ')')
                break;
            m_pos = nextPos();
        }
        const std::string_view word = m_text.substr(start, m_pos - start);
        if (word == "AND")
            return Lexeme{Lexeme::Kind::And, {}, false, Field::Type};
        if (word == "OR")
            return Lexeme{Lexeme::Kind::Or, {}, false, Field::Type};
        if (word == "NOT")
            return Lexeme{Lexeme::Kind::Not, {}, false, Field::Type};

        if (const auto colon = word.find(':'); colon != std::string_view::npos) {
            const std::string key = asciiLower(word.substr(0, colon));
            std::optional<Field> field;
            if (key == "type")
                field = Field::Type;
            else if (key == "entity")
                field = Field::Entity;
            else if (key == "status")
                field = Field::Status;
            else if (key == "origin")
                field = Field::Origin;
            if (field) {
                std::string value(word.substr(colon + 1));
                if (value.empty() && m_pos < m_text.size() && isQuote(peek()))
                    value = quotedText();
                value = std::string(text::trim(value));
                if (value.empty())
                    return makeError(key + ": needs a value, as in "
                                     + (key == "type"       ? "type:ATTACK"
                                            : key == "entity" ? "entity:\"Brad Smith\""
                                            : key == "status" ? "status:accepted"
                                                              : "origin:manual"));
                return Lexeme{Lexeme::Kind::Filter, std::move(value), false, *field};
            }
        }

        std::string_view core = word;
        bool prefix = false;
        while (!core.empty() && core.back() == '*') {
            core.remove_suffix(1);
            prefix = true;
        }
        if (core.empty()) {
            m_notes.push_back("ignored " + quoted(word) + ": a '*' ends a word to match every word it begins");
            return Lexeme{};
        }
        return Lexeme{Lexeme::Kind::Word, std::string(core), prefix, Field::Type};
    }

    std::string_view m_text;
    std::vector<std::string> &m_notes;
    std::size_t m_pos = 0;
};

class Parser {
public:
    Parser(const std::vector<Lexeme> &lexemes, std::vector<std::string> &notes)
        : m_lex(lexemes)
        , m_notes(notes)
    {
    }

    // The whole query: a stray ')' ends an OR-expression early; what
    // follows it is read as more of the top-level AND.
    std::optional<Node> run()
    {
        std::vector<Node> parts;
        while (!m_error) {
            if (auto n = parseOr(0))
                parts.push_back(std::move(*n));
            if (peek() == Lexeme::Kind::End)
                break;
            if (peek() == Lexeme::Kind::Close) {
                ++m_pos;
                m_notes.push_back("ignored a ')' that closes nothing");
            }
        }
        return combine(QueryNode::Kind::And, std::move(parts));
    }

    const std::optional<std::string> &error() const { return m_error; }

private:
    Lexeme::Kind peek() const { return m_lex[m_pos].kind; }

    static bool startsOperand(Lexeme::Kind k)
    {
        return k == Lexeme::Kind::Word || k == Lexeme::Kind::Phrase || k == Lexeme::Kind::Filter
            || k == Lexeme::Kind::Open || k == Lexeme::Kind::Not;
    }

    static std::optional<Node> combine(QueryNode::Kind kind, std::vector<Node> parts)
    {
        if (parts.empty())
            return std::nullopt;
        if (parts.size() == 1)
            return std::move(parts[0]);
        Node n;
        n.kind = kind;
        n.children = std::move(parts);
        return n;
    }

    std::optional<Node> parseOr(std::size_t depth)
    {
        std::vector<Node> alternatives;
        if (auto first = parseAnd(depth))
            alternatives.push_back(std::move(*first));
        while (!m_error && peek() == Lexeme::Kind::Or) {
            ++m_pos;
            const bool before = !alternatives.empty();
            auto next = parseAnd(depth);
            if (!before || !next)
                m_notes.push_back(std::string("ignored an OR with nothing ") + (before ? "after" : "before") + " it");
            if (next)
                alternatives.push_back(std::move(*next));
        }
        return combine(QueryNode::Kind::Or, std::move(alternatives));
    }

    std::optional<Node> parseAnd(std::size_t depth)
    {
        std::vector<Node> items;
        while (!m_error) {
            const Lexeme::Kind k = peek();
            if (k == Lexeme::Kind::And) {
                ++m_pos;
                if (items.empty() || !startsOperand(peek()))
                    m_notes.push_back(std::string("ignored an AND with nothing ") + (items.empty() ? "before" : "after")
                                      + " it");
                continue;
            }
            if (!startsOperand(k))
                break;
            if (auto n = parseUnary(depth))
                items.push_back(std::move(*n));
        }
        return combine(QueryNode::Kind::And, std::move(items));
    }

    std::optional<Node> parseUnary(std::size_t depth)
    {
        if (peek() != Lexeme::Kind::Not)
            return parsePrimary(depth);
        ++m_pos;
        if (!startsOperand(peek())) {
            m_notes.push_back("ignored a NOT with nothing after it");
            return std::nullopt;
        }
        if (depth + 1 > kMaxQueryDepth) {
            m_error = "the query nests too deeply (at most " + std::to_string(kMaxQueryDepth) + " levels)";
            return std::nullopt;
        }
        auto operand = parseUnary(depth + 1);
        if (!operand)
            return std::nullopt;
        Node n;
        n.kind = QueryNode::Kind::Not;
        n.children.push_back(std::move(*operand));
        return n;
    }

    std::optional<Node> parsePrimary(std::size_t depth)
    {
        const Lexeme &l = m_lex[m_pos];
        if (l.kind == Lexeme::Kind::Open) {
            if (depth + 1 > kMaxQueryDepth) {
                m_error = "the query nests too deeply (at most " + std::to_string(kMaxQueryDepth) + " levels)";
                return std::nullopt;
            }
            ++m_pos;
            auto inner = parseOr(depth + 1);
            if (peek() == Lexeme::Kind::Close)
                ++m_pos;
            else if (!m_error)
                m_notes.push_back("closed a '(' left open");
            return inner;
        }
        ++m_pos;
        Node n;
        n.text = l.text;
        n.prefix = l.prefix;
        n.field = l.field;
        n.kind = l.kind == Lexeme::Kind::Phrase ? QueryNode::Kind::Phrase
            : l.kind == Lexeme::Kind::Filter    ? QueryNode::Kind::Filter
                                                : QueryNode::Kind::Word;
        return n;
    }

    const std::vector<Lexeme> &m_lex;
    std::vector<std::string> &m_notes;
    std::size_t m_pos = 0;
    std::optional<std::string> m_error;
};

// Drops words that hold no term, flattens nested ANDs and ORs, unwraps
// one-child groups and double negations, and counts the leaves.
std::optional<Node> simplify(Node n, IcuFtsTokenizer &tokenizer, std::vector<std::string> &notes, std::size_t &leaves)
{
    switch (n.kind) {
    case QueryNode::Kind::Word:
    case QueryNode::Kind::Phrase: {
        const std::vector<SearchToken> terms = tokenizer.tokenize(n.text);
        if (terms.empty()) {
            notes.push_back("ignored " + quoted(n.text) + ": it has no letters or digits to search for");
            return std::nullopt;
        }
        // A one-letter prefix ("s*") would merge the postings of a good
        // part of the vocabulary, seconds of work in a large store for
        // results that mean little; it is read as the word itself. One
        // ideograph, kana or hangul syllable is a fair prefix.
        if (n.prefix && text::codePointCount(terms.back().term) < 2) {
            UChar32 c = 0;
            U8_GET_UNSAFE(terms.back().term.data(), 0, c);
            UErrorCode status = U_ZERO_ERROR;
            const UScriptCode script = uscript_getScript(c, &status);
            const bool syllabic = script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA
                || script == USCRIPT_HANGUL;
            if (!syllabic) {
                n.prefix = false;
                notes.push_back("read " + quoted(n.text + "*") + " as the word " + quoted(n.text)
                                + ": a prefix needs at least two letters");
            }
        }
        ++leaves;
        return n;
    }
    case QueryNode::Kind::Filter:
        ++leaves;
        return n;
    case QueryNode::Kind::Not: {
        auto child = simplify(std::move(n.children[0]), tokenizer, notes, leaves);
        if (!child)
            return std::nullopt;
        if (child->kind == QueryNode::Kind::Not)
            return std::move(child->children[0]);
        n.children[0] = std::move(*child);
        return n;
    }
    case QueryNode::Kind::And:
    case QueryNode::Kind::Or: {
        std::vector<Node> kept;
        for (Node &c : n.children) {
            auto s = simplify(std::move(c), tokenizer, notes, leaves);
            if (!s)
                continue;
            if (s->kind == n.kind)
                std::move(s->children.begin(), s->children.end(), std::back_inserter(kept));
            else
                kept.push_back(std::move(*s));
        }
        if (kept.empty())
            return std::nullopt;
        if (kept.size() == 1)
            return std::move(kept[0]);
        n.children = std::move(kept);
        return n;
    }
    }
    return n;
}

bool holdsQualifier(const Node &n)
{
    if (n.isQualifier())
        return true;
    return std::any_of(n.children.begin(), n.children.end(), holdsQualifier);
}

Status absorbQualifier(const Node &n, SearchQuery &q)
{
    std::set<AnnotationStatus> statuses;
    std::set<Origin> origins;
    std::size_t pos = 0;
    while (pos <= n.text.size()) {
        std::size_t comma = n.text.find(',', pos);
        if (comma == std::string::npos)
            comma = n.text.size();
        const std::string item = asciiLower(text::trim(std::string_view(n.text).substr(pos, comma - pos)));
        pos = comma + 1;
        if (item.empty())
            continue;
        if (n.field == Field::Status) {
            if (item == "all" || item == "any")
                statuses = {AnnotationStatus::Suggested, AnnotationStatus::Accepted, AnnotationStatus::Rejected};
            else if (auto s = parseStatus(item))
                statuses.insert(*s);
            else
                return makeError("status " + quoted(item) + " is not one of suggested, accepted, rejected, all");
        } else {
            if (item == "all" || item == "any")
                origins = {Origin::Auto, Origin::Manual, Origin::Imported};
            else if (auto o = parseOrigin(item))
                origins.insert(*o);
            else
                return makeError("origin " + quoted(item) + " is not one of auto, manual, imported, all");
        }
    }
    // Two status: (or origin:) filters must both hold: keep what they share.
    auto intersect = [](auto &target, const auto &values) {
        if (!target) {
            target = values;
            return;
        }
        std::erase_if(*target, [&](const auto &v) { return values.count(v) == 0; });
    };
    if (n.field == Field::Status) {
        if (statuses.empty())
            return makeError("status: needs a value, as in status:accepted");
        intersect(q.statuses, statuses);
        if (q.statuses->empty())
            q.notes.push_back("the status: filters have no status in common, so nothing matches");
    } else {
        if (origins.empty())
            return makeError("origin: needs a value, as in origin:manual");
        intersect(q.origins, origins);
        if (q.origins->empty())
            q.notes.push_back("the origin: filters have no origin in common, so nothing matches");
    }
    return {};
}

QueryNode toPublic(Node n)
{
    QueryNode q;
    q.kind = n.kind;
    q.text = std::move(n.text);
    q.prefix = n.prefix;
    q.field = n.field == Field::Entity ? QueryNode::Field::Entity : QueryNode::Field::Type;
    for (Node &c : n.children)
        q.children.push_back(toPublic(std::move(c)));
    return q;
}

bool needsQuotes(std::string_view value)
{
    return value.empty()
        || std::any_of(value.begin(), value.end(), [](char c) { return c == ' ' || c == '(' || c == ')' || c == '"'; });
}

void render(const QueryNode &n, bool nested, std::string &out)
{
    switch (n.kind) {
    case QueryNode::Kind::Word:
        out += n.text;
        if (n.prefix)
            out += '*';
        return;
    case QueryNode::Kind::Phrase:
        out += '"' + n.text + '"';
        if (n.prefix)
            out += '*';
        return;
    case QueryNode::Kind::Filter:
        out += n.field == QueryNode::Field::Type ? "type:" : "entity:";
        out += needsQuotes(n.text) ? '"' + n.text + '"' : n.text;
        return;
    case QueryNode::Kind::Not:
        out += "NOT ";
        render(n.children[0], true, out);
        return;
    case QueryNode::Kind::And:
    case QueryNode::Kind::Or:
        if (nested)
            out += '(';
        for (std::size_t i = 0; i < n.children.size(); ++i) {
            if (i > 0)
                out += n.kind == QueryNode::Kind::And ? " AND " : " OR ";
            render(n.children[i], true, out);
        }
        if (nested)
            out += ')';
        return;
    }
}

} // namespace

void SearchQuery::addFilter(QueryNode::Field field, std::string value)
{
    QueryNode f;
    f.kind = QueryNode::Kind::Filter;
    f.field = field;
    f.text = std::move(value);
    if (!root) {
        root = std::move(f);
        return;
    }
    if (root->kind != QueryNode::Kind::And) {
        QueryNode both;
        both.kind = QueryNode::Kind::And;
        both.children.push_back(std::move(*root));
        root = std::move(both);
    }
    root->children.push_back(std::move(f));
}

std::string SearchQuery::toString() const
{
    std::vector<std::string> parts;
    if (root) {
        std::string r;
        render(*root, root->kind == QueryNode::Kind::Or && (statuses || origins), r);
        parts.push_back(std::move(r));
    }
    if (statuses) {
        std::string s = "status:";
        for (AnnotationStatus st : *statuses)
            s += std::string(lede::toString(st)) + ",";
        if (statuses->empty())
            s += "none";
        else
            s.pop_back();
        parts.push_back(std::move(s));
    }
    if (origins) {
        std::string s = "origin:";
        for (Origin o : *origins)
            s += std::string(lede::toString(o)) + ",";
        if (origins->empty())
            s += "none";
        else
            s.pop_back();
        parts.push_back(std::move(s));
    }
    std::string out;
    for (const std::string &p : parts)
        out += (out.empty() ? "" : " AND ") + p;
    return out;
}

namespace {

// A note said many times ("ignored a ')' that closes nothing", for a
// thousand stray brackets) is said once, with the count, where it first
// came.
void collapseNotes(std::vector<std::string> &notes)
{
    std::vector<std::string> unique;
    std::vector<std::size_t> counts;
    for (std::string &note : notes) {
        const auto seen = std::find(unique.begin(), unique.end(), note);
        if (seen != unique.end()) {
            ++counts[static_cast<std::size_t>(seen - unique.begin())];
            continue;
        }
        unique.push_back(std::move(note));
        counts.push_back(1);
    }
    for (std::size_t i = 0; i < unique.size(); ++i)
        if (counts[i] > 1)
            unique[i] += " (" + std::to_string(counts[i]) + " times)";
    notes = std::move(unique);
}

} // namespace

Result<SearchQuery> parseQuery(std::string_view input)
{
    if (const std::size_t bad = text::firstInvalidUtf8(input); bad != std::string_view::npos)
        return makeError("the query is not valid UTF-8 (at byte " + std::to_string(bad + 1)
                         + "); check the terminal's or file's encoding");
    if (input.size() > kMaxQueryBytes)
        return makeError("the query is too long (" + std::to_string(input.size()) + " bytes; at most "
                         + std::to_string(kMaxQueryBytes) + ")");
    if (text::trim(input).empty())
        return makeError("the query is empty");

    SearchQuery q;
    try {
        LEDE_TRY_ASSIGN(auto lexemes, Lexer(input, q.notes).run());
        Parser parser(lexemes, q.notes);
        std::optional<Node> tree = parser.run();
        if (parser.error())
            return makeError(*parser.error());

        thread_local IcuFtsTokenizer tokenizer;
        std::size_t leaves = 0;
        if (tree)
            tree = simplify(std::move(*tree), tokenizer, q.notes, leaves);
        if (leaves > kMaxQueryTerms)
            return makeError("the query has " + std::to_string(leaves) + " terms and filters; at most "
                             + std::to_string(kMaxQueryTerms) + " are allowed");

        // status: and origin: are lifted out of the top-level AND; anywhere
        // else they would have no clear meaning.
        if (tree && tree->isQualifier()) {
            LEDE_TRY(absorbQualifier(*tree, q));
            tree.reset();
        } else if (tree && tree->kind == QueryNode::Kind::And) {
            std::vector<Node> kept;
            for (Node &c : tree->children) {
                if (c.isQualifier()) {
                    LEDE_TRY(absorbQualifier(c, q));
                } else {
                    kept.push_back(std::move(c));
                }
            }
            if (kept.empty())
                tree.reset();
            else if (kept.size() == 1)
                tree = std::move(kept[0]);
            else
                tree->children = std::move(kept);
        }
        if (tree && holdsQualifier(*tree))
            return makeError("status: and origin: apply to the whole query; they cannot stand inside OR or NOT");
        if (!tree && !q.statuses && !q.origins)
            return makeError("the query has nothing to search for"
                             + (q.notes.empty() ? std::string() : " (" + q.notes.back() + ")"));
        if (tree)
            q.root = toPublic(std::move(*tree));
    } catch (const std::bad_alloc &) {
        return makeError("the query is too large to read", ErrorKind::InvalidInput);
    }
    collapseNotes(q.notes);
    return q;
}

} // namespace lede
