#include "../Command.h"
#include "../Context.h"

#include "core/io/Json.h"
#include "core/store/Store.h"
#include "core/text/Text.h"

#include <CLI/CLI.hpp>

#include <iomanip>
#include <ostream>

namespace lede::cli {

namespace {

class ListCommand final : public Command {
public:
    ListCommand()
        : Command({"list", "", "list the documents", {},
                   "Lists the documents: id, annotation count, title and source.",
                   {}})
    {
    }

    void declare(CLI::App &app) override
    {
        app.add_flag("--json", m_json,
                     R"({"documents": [{"id", "title", "source", "imported_at", "length",
"annotations"}]})");
    }

    int run(Context &ctx) override
    {
        Store *store = ctx.store(Access::Read);
        if (!store)
            return Failed;
        auto docs = store->documents();
        if (!docs)
            return ctx.fail(docs.message());
        if (m_json) {
            return ctx.printJson([&](JsonWriter &w) {
                w.beginObject().key("documents").beginArray();
                for (const DocumentInfo &d : *docs) {
                    w.beginObject();
                    w.key("id").value(d.id).key("title").value(d.title).key("source").value(d.source);
                    w.key("imported_at").value(d.importedAt).key("length").value(d.length);
                    w.key("annotations").value(d.annotationCount).endObject();
                }
                w.endArray().endObject();
            });
        }
        for (const DocumentInfo &d : *docs)
            ctx.out << std::setw(6) << d.id << "  " << std::setw(5) << d.annotationCount << "  "
                    << text::forTerminal(d.title) << "  (" << text::forTerminal(d.source) << ")\n";
        return Ok;
    }

private:
    bool m_json = false;
};

} // namespace

std::unique_ptr<Command> makeListCommand() { return std::make_unique<ListCommand>(); }

} // namespace lede::cli
