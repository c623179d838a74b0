#include "../Arguments.h"
#include "../Command.h"
#include "../Context.h"

#include "core/base/Files.h"
#include "core/io/Evaluation.h"
#include "core/io/Json.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <ostream>

namespace lede::cli {

namespace {

class EvalCommand final : public Command {
public:
    EvalCommand()
        : Command({"eval", "DIR", "measure the tagger against gold files", {},
                   R"(Imports every .txt of DIR into a temporary store, tags it and compares the
suggestions with the .gold.json beside each text (exact span and type).
Prints precision, recall and F1 per type and the micro-F1 over PERSON,
COMPANY, NATION and ATTACK.)",
                   {}})
    {
    }

    void declare(CLI::App &app) override
    {
        app.add_option("DIR", m_folder, "the folder of texts and gold files")->type_name(kDir);
        app.add_flag("--json", m_json,
                     R"({"documents", "types": {TYPE: {"precision", "recall", "f1", "tp",
"fp", "fn"}}, "micro": {...}, "seconds", "megabytes"})");
        m_pred = app.add_option("--pred", m_predPath, "write the predictions in the format of\nshared/eval/score.py")
                     ->type_name(kPath);
    }

    int run(Context &ctx) override
    {
        if (m_folder.empty())
            throw UsageError{"eval needs one folder"};
        auto report = evaluateFolder(m_folder);
        if (!report)
            return ctx.fail(report.message());
        for (const std::string &f : report->failures)
            ctx.err << f << '\n';
        const EvalCounts micro = report->micro(missionTypes());
        const double mb = static_cast<double>(report->bytes) / (1024.0 * 1024.0);

        if (*m_pred) {
            std::string json;
            JsonWriter w(json);
            w.beginObject().key("docs").beginObject();
            for (const auto &[source, spans] : report->predictions) {
                w.key(source).beginArray();
                for (const TaggedSpan &s : spans)
                    w.beginObject().key("start").value(std::int64_t(s.start)).key("end").value(std::int64_t(s.end))
                        .key("type").value(s.type).endObject();
                w.endArray();
            }
            w.endObject().endObject();
            json += '\n';
            if (auto st = files::writeFileAtomically(m_predPath, json); !st)
                return ctx.fail(st.message());
        }
        if (m_json) {
            return ctx.printJson([&](JsonWriter &w) {
                w.beginObject().key("documents").value(std::int64_t(report->documents)).key("types").beginObject();
                for (const auto &[type, c] : report->byType) {
                    w.key(type).beginObject().key("precision").value(c.precision()).key("recall").value(c.recall());
                    w.key("f1").value(c.f1()).key("tp").value(std::int64_t(c.tp)).key("fp").value(std::int64_t(c.fp));
                    w.key("fn").value(std::int64_t(c.fn)).endObject();
                }
                w.endObject().key("micro").beginObject().key("precision").value(micro.precision());
                w.key("recall").value(micro.recall()).key("f1").value(micro.f1()).endObject();
                w.key("seconds").value(report->seconds).key("megabytes").value(mb).endObject();
            });
        }
        char line[160];
        std::snprintf(line, sizeof line, "%-14s %6s %6s %6s %5s %5s %5s\n", "type", "P", "R", "F1", "tp", "fp", "fn");
        ctx.out << line;
        for (const auto &[type, c] : report->byType) {
            std::snprintf(line, sizeof line, "%-14s %6.3f %6.3f %6.3f %5zu %5zu %5zu\n", type.c_str(), c.precision(),
                          c.recall(), c.f1(), c.tp, c.fp, c.fn);
            ctx.out << line;
        }
        std::snprintf(line, sizeof line, "micro-F1 %.3f (P %.3f R %.3f) over %zu docs, types PERSON,COMPANY,NATION,ATTACK\n",
                      micro.f1(), micro.precision(), micro.recall(), report->documents);
        ctx.out << line;
        return Ok;
    }

private:
    std::string m_folder;
    std::string m_predPath;
    bool m_json = false;
    CLI::Option *m_pred = nullptr;
};

} // namespace

std::unique_ptr<Command> makeEvalCommand() { return std::make_unique<EvalCommand>(); }

} // namespace lede::cli
