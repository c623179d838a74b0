#include "../Command.h"
#include "../Context.h"

#include "core/io/Json.h"
#include "core/store/Store.h"
#include "core/text/Text.h"

#include <CLI/CLI.hpp>

#include <ostream>

namespace lede::cli {

namespace {

class CheckCommand final : public Command {
public:
    CheckCommand()
        : Command({"check", "", "check that the store is sound", {},
                   R"(Checks the store: SQLite's integrity check and links, the full-text index
against the documents, every document's text (UTF-8, NFC, length, hash),
every annotation inside its document and linked to an entity of its type,
and the search summaries against the annotations. Prints "ok" or one line
per problem. Changes nothing.)",
                   "Exit status 1 when a problem is found."})
    {
    }

    void declare(CLI::App &app) override
    {
        app.add_flag("--json", m_json, R"({"store", "ok", "documents", "annotations", "problems", "notes"})");
    }

    int run(Context &ctx) override
    {
        Store *store = ctx.store(Access::Read);
        if (!store)
            return Failed;
        auto report = store->check();
        if (!report)
            return ctx.fail("cannot check " + store->path() + ": " + report.message());
        if (m_json) {
            ctx.printJson([&](JsonWriter &w) {
                w.beginObject().key("store").value(store->path()).key("ok").value(report->problems.empty());
                w.key("documents").value(report->documents).key("annotations").value(report->annotations);
                for (const auto &[key, list] : {std::pair{"problems", &report->problems}, std::pair{"notes", &report->notes}}) {
                    w.key(key).beginArray();
                    for (const std::string &p : *list)
                        w.value(p);
                    w.endArray();
                }
                w.endObject();
            });
        } else {
            for (const std::string &note : report->notes)
                ctx.err << "lede-cli check: " << text::forTerminal(note) << '\n';
            for (const std::string &problem : report->problems)
                ctx.out << text::forTerminal(problem) << '\n';
            if (report->problems.empty())
                ctx.out << "ok: " << report->documents << " documents, " << report->annotations << " annotations\n";
            else
                ctx.out << text::forTerminal(store->path()) << ": " << report->problems.size()
                        << (report->problems.size() == 1 ? " problem" : " problems") << '\n';
        }
        return report->problems.empty() ? Ok : Failed;
    }

private:
    bool m_json = false;
};

} // namespace

std::unique_ptr<Command> makeCheckCommand() { return std::make_unique<CheckCommand>(); }

} // namespace lede::cli
