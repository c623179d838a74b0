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

class StatsCommand final : public Command {
public:
    StatsCommand()
        : Command({"stats", "", "counts of documents, annotations and entities", {},
                   "Counts of documents, annotations (by type, status and origin) and entities.",
                   {}})
    {
    }

    void declare(CLI::App &app) override
    {
        app.add_flag("--json", m_json,
                     R"({"store", "documents", "text_bytes", "annotations", "entities",
"by_type", "by_status", "by_origin"})");
    }

    int run(Context &ctx) override
    {
        Store *store = ctx.store(Access::Read);
        if (!store)
            return Failed;
        auto st = store->stats();
        if (!st)
            return ctx.fail(st.message());
        if (m_json) {
            return ctx.printJson([&](JsonWriter &w) {
                w.beginObject().key("store").value(store->path()).key("documents").value(st->documents);
                w.key("text_bytes").value(st->textBytes).key("annotations").value(st->annotations);
                w.key("entities").value(st->entities);
                for (const auto &[name, map] : {std::pair{"by_type", &st->annotationsByType},
                                                std::pair{"by_status", &st->annotationsByStatus},
                                                std::pair{"by_origin", &st->annotationsByOrigin}}) {
                    w.key(name).beginObject();
                    for (const auto &[k, v] : *map)
                        w.key(k).value(v);
                    w.endObject();
                }
                w.endObject();
            });
        }
        ctx.out << "store        " << text::forTerminal(store->path()) << '\n';
        ctx.out << "documents    " << st->documents << " (" << std::fixed << std::setprecision(1)
                << static_cast<double>(st->textBytes) / 1024.0 << " KB of text)\n";
        ctx.out << "annotations  " << st->annotations << '\n';
        for (const auto &[type, n] : st->annotationsByType)
            ctx.out << "  " << std::left << std::setw(14) << type << n << '\n';
        for (const auto &[status, n] : st->annotationsByStatus)
            ctx.out << "  " << std::left << std::setw(14) << status << n << '\n';
        ctx.out << "entities     " << st->entities << '\n';
        return Ok;
    }

private:
    bool m_json = false;
};

} // namespace

std::unique_ptr<Command> makeStatsCommand() { return std::make_unique<StatsCommand>(); }

} // namespace lede::cli
