#include "../Arguments.h"
#include "../Command.h"
#include "../Context.h"

#include "core/store/Store.h"
#include "core/text/Text.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iomanip>
#include <optional>
#include <ostream>

namespace lede::cli {

namespace {

class ShowCommand final : public Command {
public:
    ShowCommand()
        : Command({"show", "ID", "print a document with its annotations inline", {},
                   R"(Prints a document's text with its annotations inline as [text]{TYPE}.
By default every annotation that is not rejected is shown. --list adds a
table of the annotations: number (ANN for annotate), offsets, type,
status, origin, text, and for the tagger's suggestions why it made them
(provenance: a list such as gazetteer:mitre-attack:S0368, a rule such as
rule:title, the model, or "document" for a name repeated from elsewhere
in the text) and how sure it was (confidence, 0-1).)",
                   {}})
    {
    }

    void declare(CLI::App &app) override
    {
        app.add_option_function<std::string>(
               "ID", [this](const std::string &v) { m_id = parseId(v, "document id"); }, "the document's id, as list prints it")
            ->check(isId("document id"));
        app.add_option_function<std::string>(
               "--status", [this](const std::string &v) { m_statuses = parseStatuses(v); },
               "the statuses to show: suggested, accepted, rejected, all\n(comma separated)")
            ->type_name("S,...")
            ->check(isStatusList());
        app.add_flag("--list", m_list, "add the table of annotations");
        app.add_option_function<std::string>(
               "--min-confidence", [this](const std::string &v) { m_minConfidence = parseFraction(v, "--min-confidence"); },
               "hide suggestions the tagger was less sure of than C\n(reviewed and manual annotations always show)")
            ->type_name("C")
            ->check(isFraction("--min-confidence"));
        app.add_flag("--least-confident", m_leastConfident,
                     "list the suggestions alone, least confident first:\nthe order to review them in");
    }

    int run(Context &ctx) override
    {
        if (!m_id)
            throw UsageError{"show needs one document id"};
        Store *store = ctx.store(Access::Read);
        if (!store)
            return Failed;
        auto doc = store->document(*m_id);
        if (!doc)
            return ctx.fail(doc.message());
        auto annotations = store->annotations(*m_id, m_statuses);
        if (!annotations)
            return ctx.fail(annotations.message());
        std::erase_if(*annotations, [&](const Annotation &a) {
            return a.status == AnnotationStatus::Suggested && a.confidence && *a.confidence < m_minConfidence;
        });
        const text::OffsetIndex index(doc->text);
        auto listLine = [&](const Annotation &a) {
            ctx.out << std::setw(5) << annotationNumber(a.id) << "  " << a.start << '-' << a.end << "  " << a.type << "  "
                    << toString(a.status) << "  " << toString(a.origin) << "  "
                    << text::forTerminal(index.slice(static_cast<std::size_t>(a.start), static_cast<std::size_t>(a.end)));
            if (!a.provenance.empty() || a.confidence) {
                ctx.out << "  (" << text::forTerminal(a.provenance);
                if (a.confidence)
                    ctx.out << (a.provenance.empty() ? "" : " ") << std::fixed << std::setprecision(2) << *a.confidence;
                ctx.out << ')';
            }
            ctx.out << '\n';
        };
        if (m_leastConfident) {
            std::vector<Annotation> open;
            for (const Annotation &a : *annotations)
                if (a.status == AnnotationStatus::Suggested)
                    open.push_back(a);
            std::stable_sort(open.begin(), open.end(), [](const Annotation &x, const Annotation &y) {
                return x.confidence.value_or(1.0) < y.confidence.value_or(1.0);
            });
            ctx.out << "# " << doc->id << ": " << text::forTerminal(doc->title) << ": " << open.size()
                    << (open.size() == 1 ? " suggestion" : " suggestions") << " to review, least confident first\n";
            for (const Annotation &a : open)
                listLine(a);
            return Ok;
        }

        // Inline markup cannot nest; an annotation overlapping an earlier
        // one is left out of the markup.
        std::string out;
        std::int64_t pos = 0;
        for (const Annotation &a : *annotations) {
            if (a.start < pos)
                continue;
            out += text::forTerminal(index.slice(static_cast<std::size_t>(pos), static_cast<std::size_t>(a.start)), true);
            out += '[';
            out += text::forTerminal(index.slice(static_cast<std::size_t>(a.start), static_cast<std::size_t>(a.end)), true);
            out += "]{" + a.type + '}';
            pos = a.end;
        }
        out += text::forTerminal(index.slice(static_cast<std::size_t>(pos), index.codePoints()), true);
        ctx.out << "# " << doc->id << ": " << text::forTerminal(doc->title) << "\n\n" << out;
        if (out.empty() || out.back() != '\n')
            ctx.out << '\n';
        if (m_list) {
            ctx.out << '\n';
            for (const Annotation &a : *annotations)
                listLine(a);
        }
        return Ok;
    }

private:
    std::optional<std::int64_t> m_id;
    std::set<AnnotationStatus> m_statuses{AnnotationStatus::Suggested, AnnotationStatus::Accepted};
    double m_minConfidence = 0.0;
    bool m_list = false;
    bool m_leastConfident = false;
};

} // namespace

std::unique_ptr<Command> makeShowCommand() { return std::make_unique<ShowCommand>(); }

} // namespace lede::cli
