#include "../Arguments.h"
#include "../Command.h"
#include "../Context.h"

#include "core/io/Json.h"
#include "core/search/Search.h"
#include "core/store/Store.h"
#include "core/text/Text.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <iomanip>
#include <ostream>

namespace lede::cli {

namespace {

// The store's spelling of a type given in any case; a type the store does
// not have is a usage error that lists the ones it has.
std::string knownType(Store &store, const std::string &name)
{
    auto types = store.types();
    if (!types)
        return name;
    std::string list;
    for (const EntityType &t : *types) {
        auto same = [](char a, char b) {
            return std::toupper(static_cast<unsigned char>(a)) == std::toupper(static_cast<unsigned char>(b));
        };
        if (std::equal(t.name.begin(), t.name.end(), name.begin(), name.end(), same))
            return t.name;
        list += (list.empty() ? "" : ", ") + t.name;
    }
    throw UsageError{"unknown type '" + name + "'; the types are " + list};
}

class EntitiesCommand final : public Command {
public:
    EntitiesCommand()
        : Command({"entities", "", "list entities with their counts, or those next to one entity",
                R"(usage: lede-cli entities [--type T] [--prefix P] [--limit N] [--json]
       lede-cli entities --cooccur NAME [--type T] [--limit N] [--json])",
                   R"(Lists entities with how many times they are mentioned and in how many
documents, most documents first. Only annotations that are not rejected
count.)",
                   {}})
    {
    }

    void declare(CLI::App &app) override
    {
        m_typeOption = app.add_option("--type", m_type, "only entities of type T")->type_name("T");
        auto *prefix = app.add_option("--prefix", m_prefix,
                                      "only entities whose name or an alias begins with P\n(case and accents ignored)")
                           ->type_name("P");
        m_cooccurOption = app.add_option("--cooccur", m_cooccur,
                                         "the entities sharing the most documents with NAME (a name\n"
                                         "or an alias); \"documents\" counts the shared documents and\n"
                                         "\"mentions\" the entity's mentions in them")
                              ->type_name("NAME")
                              ->excludes(prefix);
        app.add_option_function<std::string>(
               "--limit", [this](const std::string &v) { m_limit = parseCount(v, "limit", kMostLimit); },
               "entities to show (default 50, with --cooccur 20)")
            ->type_name("N")
            ->check(isCount("limit", kMostLimit));
        app.add_flag("--json", m_json, R"({"results": [{"id", "name", "type", "mentions", "documents"}]})");
    }

    int run(Context &ctx) override
    {
        const bool cooccur = m_cooccurOption->count() > 0;
        if (cooccur && text::trim(m_cooccur).empty())
            throw UsageError{"--cooccur needs an entity name"};
        const std::size_t limit = m_limit ? *m_limit : (cooccur ? 20 : 50);
        Store *store = ctx.store(Access::Read);
        if (!store)
            return Failed;
        const std::string type = *m_typeOption ? knownType(*store, m_type) : std::string();
        Search search(*store);
        auto listed = cooccur ? search.cooccurring(m_cooccur, {type, limit}) : search.entities({type, m_prefix, limit, 0});
        if (!listed)
            return ctx.fail(listed.message());
        if (m_json) {
            return ctx.printJson([&](JsonWriter &w) {
                w.beginObject().key("results").beginArray();
                for (const EntityCount &e : *listed)
                    w.beginObject().key("id").value(e.id).key("name").value(e.name).key("type").value(e.type)
                        .key("mentions").value(e.mentions).key("documents").value(e.documents).endObject();
                w.endArray().endObject();
            });
        }
        ctx.out << std::right << std::setw(9) << (cooccur ? "shared" : "documents") << std::setw(10) << "mentions" << "  "
                << std::left << std::setw(14) << "type" << "name\n";
        for (const EntityCount &e : *listed)
            ctx.out << std::right << std::setw(9) << e.documents << std::setw(10) << e.mentions << "  " << std::left
                    << std::setw(14) << e.type << text::forTerminal(e.name) << '\n';
        return Ok;
    }

private:
    static constexpr std::size_t kMostLimit = 100000;

    std::string m_type;
    std::string m_prefix;
    std::string m_cooccur;
    std::optional<std::size_t> m_limit;
    bool m_json = false;
    CLI::Option *m_typeOption = nullptr;
    CLI::Option *m_cooccurOption = nullptr;
};

} // namespace

std::unique_ptr<Command> makeEntitiesCommand() { return std::make_unique<EntitiesCommand>(); }

} // namespace lede::cli
