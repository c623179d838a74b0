#include "../Arguments.h"
#include "../Command.h"
#include "../Context.h"

#include "core/io/Json.h"
#include "core/search/Search.h"
#include "core/store/Store.h"
#include "core/text/Text.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iomanip>
#include <iostream>
#include <unistd.h>

namespace lede::cli {

namespace {

void writeSpans(JsonWriter &w, const std::vector<MatchSpan> &spans)
{
    w.beginArray();
    for (const MatchSpan &m : spans)
        w.beginArray().value(m.start).value(m.end).endArray();
    w.endArray();
}

// The snippet with its matches marked: bold on a terminal, [brackets]
// otherwise, so that piped output stays plain text.
std::string markMatches(const std::string &snippet, const std::vector<MatchSpan> &matches, bool bold)
{
    const text::OffsetIndex index(snippet);
    std::string out;
    std::size_t pos = 0;
    for (const MatchSpan &m : matches) {
        const auto start = static_cast<std::size_t>(m.start);
        const auto end = static_cast<std::size_t>(m.end);
        if (start < pos)
            continue;
        out += text::forTerminal(index.slice(pos, start));
        out += bold ? "\033[1m" : "[";
        out += text::forTerminal(index.slice(start, end));
        out += bold ? "\033[0m" : "]";
        pos = end;
    }
    out += text::forTerminal(index.slice(pos, index.codePoints()));
    return out;
}

class SearchCommand final : public Command {
public:
    SearchCommand()
        : Command({"search", "QUERY", "search the documents: words, \"phrases\", type: and entity: filters", {},
                   R"(Searches the documents' titles, text and annotations. Words match whole
words, ignoring case and accents ("telefonica" finds "Telefónica"); text in
Chinese, Japanese or Thai is searched by word too. Several words must all
occur. Operators are written in capitals:

  ransomware hospitals     both words (AND is implied)
  wannacry OR notpetya     either word
  ransomware NOT wannacry  the first word without the second
  "state sponsored"        the words next to each other, in this order
  ransom*                  any word beginning with "ransom"
  (a OR b) c               parentheses group
  type:ATTACK              documents with an annotation of this type
  entity:"Brad Smith"      ... linked to this entity (by its name or an alias)
  status:accepted          only annotations of this status count
                           (suggested, accepted, rejected, all; comma separated)
  origin:manual            only annotations of this origin count
                           (auto, manual, imported, all)

Filters mix with words: 'ransomware type:COMPANY' finds articles about
ransomware that mention a company. Rejected annotations never count unless
status: says so. Hits are ranked by relevance, a match in the title counting
more; a query of filters only lists the documents with the most matching
annotations first. Each hit shows a snippet with the matches in [brackets]
(bold on a terminal).)",
                   "Exit status 2 when the query cannot be read."})
    {
    }

    void declare(CLI::App &app) override
    {
        app.add_option("QUERY", m_words, "the query; its words may be given unquoted\n(-- before a query that begins with -)");
        app.add_option("--type", m_type, "add type:T to the query")->type_name("T");
        app.add_option("--entity", m_entity, "add entity:NAME to the query")->type_name("NAME");
        app.add_option_function<std::string>(
               "--limit", [this](const std::string &v) { m_options.limit = parseCount(v, "limit", SearchOptions::kMaxLimit); },
               "hits to show (default 20, at most 1000)")
            ->type_name("N")
            ->check(isCount("limit", SearchOptions::kMaxLimit));
        app.add_option_function<std::string>(
               "--offset", [this](const std::string &v) { m_options.offset = parseCount(v, "offset", kMostOffset); },
               "skip the first N hits, for the next page")
            ->type_name("N")
            ->check(isCount("offset", kMostOffset));
        app.add_flag("--json", m_json,
                     R"({"results": [{"id", "title", "score", "snippet", "matches",
"snippet_start", "snippet_end", "title_matches",
"document_matches"}], "total": N}; match offsets are
[start, end] in code points of the snippet, title or text)");
        m_typeOption = app.get_option("--type");
        m_entityOption = app.get_option("--entity");
    }

    int run(Context &ctx) override
    {
        if (m_words.empty() && !*m_typeOption && !*m_entityOption)
            throw UsageError{"search needs a query"};
        // Unquoted words on the command line are one query.
        std::string text;
        for (const std::string &p : m_words)
            text += (text.empty() ? "" : " ") + p;
        Result<SearchQuery> query = text.empty() ? Result<SearchQuery>(SearchQuery{}) : parseQuery(text);
        if (!query)
            throw UsageError{query.message()};
        if (*m_typeOption)
            query->addFilter(QueryNode::Field::Type, m_type);
        if (*m_entityOption) {
            if (text::trim(m_entity).empty())
                throw UsageError{"--entity needs a name"};
            query->addFilter(QueryNode::Field::Entity, m_entity);
        }
        Store *store = ctx.store(Access::Read);
        if (!store)
            return Failed;
        Search search(*store);
        if (auto st = search.validate(*query); !st)
            throw UsageError{st.message()};
        auto results = search.search(*query, m_options);
        if (!results)
            return ctx.fail(results.message());
        for (const std::string &note : results->notes)
            ctx.err << "lede-cli search: " << text::forTerminal(note) << '\n';

        if (m_json) {
            return ctx.printJson([&](JsonWriter &w) {
                w.beginObject().key("results").beginArray();
                for (const SearchHit &h : results->hits) {
                    w.beginObject().key("id").value(h.documentId).key("title").value(h.title).key("score").value(h.score);
                    w.key("snippet").value(h.snippet).key("matches");
                    writeSpans(w, h.snippetMatches);
                    w.key("snippet_start").value(h.snippetStart).key("snippet_end").value(h.snippetEnd);
                    w.key("title_matches");
                    writeSpans(w, h.titleMatches);
                    w.key("document_matches");
                    writeSpans(w, h.documentMatches);
                    w.endObject();
                }
                w.endArray().key("total").value(results->total).endObject();
            });
        }
        const bool bold = &ctx.out == &std::cout && isatty(STDOUT_FILENO) != 0;
        for (const SearchHit &h : results->hits) {
            char score[32];
            std::snprintf(score, sizeof score, "%.2f", h.score);
            ctx.out << std::setw(6) << h.documentId << "  " << markMatches(h.title, h.titleMatches, bold) << "  (score "
                    << score << ")\n        " << markMatches(h.snippet, h.snippetMatches, bold) << "\n\n";
        }
        const std::size_t first = results->hits.empty() ? 0 : m_options.offset + 1;
        if (results->hits.empty() && results->total > 0) {
            ctx.out << "no documents from " << m_options.offset + 1 << " on: " << results->total
                    << (results->total == 1 ? " document matches" : " documents match") << " (see --offset): "
                    << text::forTerminal(query->toString()) << '\n';
            return Ok;
        }
        ctx.out << (results->hits.empty() ? std::string("no documents match")
                                          : "documents " + std::to_string(first) + "-"
                                                + std::to_string(m_options.offset + results->hits.size()) + " of "
                                                + std::to_string(results->total))
                << ": " << text::forTerminal(query->toString()) << '\n';
        return Ok;
    }

private:
    static constexpr std::size_t kMostOffset = 1000000000;

    std::vector<std::string> m_words;
    std::string m_type;
    std::string m_entity;
    SearchOptions m_options;
    bool m_json = false;
    CLI::Option *m_typeOption = nullptr;
    CLI::Option *m_entityOption = nullptr;
};

} // namespace

std::unique_ptr<Command> makeSearchCommand() { return std::make_unique<SearchCommand>(); }

} // namespace lede::cli
