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

class TypesCommand final : public Command {
public:
    TypesCommand()
        : Command({"types", "", "list entity types, or add one",
                R"(usage: lede-cli types [--json]
       lede-cli types --add NAME [--color #RRGGBB] [--key K])",
                   "Lists the entity types with colour and shortcut key, or adds a type.",
                   {}})
    {
    }

    void declare(CLI::App &app) override
    {
        auto *add = app.add_option("--add", m_name, "add the type NAME")->type_name("NAME");
        app.add_option("--color,--colour", m_color, "its colour (default: the next of a set of spare colours)")
            ->type_name("#RRGGBB")
            ->needs(add);
        app.add_option("--key", m_key, "its shortcut key in the desktop")->type_name("K")->needs(add);
        app.add_flag("--json", m_json, R"({"types": [{"name", "color", "shortcut"}]})")->excludes(add);
        m_add = add;
    }

    int run(Context &ctx) override
    {
        Store *store = ctx.store(*m_add ? Access::Write : Access::Read);
        if (!store)
            return Failed;
        if (*m_add) {
            auto t = store->addType(m_name, m_color, m_key);
            if (!t)
                return ctx.fail(t.message());
            ctx.out << "added type " << t->name << " " << t->color << (t->shortcut.empty() ? "" : " key " + t->shortcut)
                    << '\n';
            return Ok;
        }
        auto types = store->types();
        if (!types)
            return ctx.fail(types.message());
        if (m_json) {
            return ctx.printJson([&](JsonWriter &w) {
                w.beginObject().key("types").beginArray();
                for (const EntityType &t : *types)
                    w.beginObject().key("name").value(t.name).key("color").value(t.color).key("shortcut").value(t.shortcut).endObject();
                w.endArray().endObject();
            });
        }
        for (const EntityType &t : *types)
            ctx.out << std::left << std::setw(16) << t.name << std::setw(9) << t.color
                    << (t.shortcut.empty() ? "-" : t.shortcut) << '\n';
        return Ok;
    }

private:
    std::string m_name;
    std::string m_color;
    std::string m_key;
    bool m_json = false;
    CLI::Option *m_add = nullptr;
};

} // namespace

std::unique_ptr<Command> makeTypesCommand() { return std::make_unique<TypesCommand>(); }

} // namespace lede::cli
