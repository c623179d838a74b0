#include "../Arguments.h"
#include "../Command.h"
#include "../Context.h"

#include "core/base/Files.h"
#include "core/io/Exporter.h"
#include "core/store/Store.h"
#include "core/text/Text.h"

#include <CLI/CLI.hpp>

#include <ostream>

namespace lede::cli {

namespace {

class ExportCommand final : public Command {
public:
    ExportCommand()
        : Command({"export", "", "write documents and annotations (json, jsonl, brat, conll, csv)",
                "usage: lede-cli export [--format json|jsonl|brat|conll|csv] [--out PATH] [--status S,...] [ID...]",
                   R"(Writes the given documents (default: all) with their annotations. Without
--out the output goes to standard output (brat needs --out, a folder).
By default every annotation that is not rejected is exported. Files are
written atomically.)",
                   {}})
    {
    }

    void declare(CLI::App &app) override
    {
        app.add_option_function<std::vector<std::string>>(
               "ID",
               [this](const std::vector<std::string> &ids) {
                   for (const std::string &v : ids)
                       m_options.documentIds.push_back(parseId(v, "document id"));
               },
               "the documents to export (default: all)")
            ->check(isId("document id"));
        app.add_option_function<std::string>(
               "--format",
               [this](const std::string &v) {
                   auto format = parseExportFormat(v);
                   if (format)
                       m_options.format = *format;
               },
               "json (the default), jsonl, brat, conll or csv")
            ->type_name("FORMAT")
            ->check(CLI::Validator(
                [](std::string &v) {
                    return parseExportFormat(v) ? std::string()
                                                : "format '" + text::forTerminal(v) + "' is not one of json, jsonl, brat, conll, csv";
                },
                ""));
        m_out = app.add_option("--out", m_path, "the file (brat: the folder) to write")->type_name(kPath);
        app.add_option_function<std::string>(
               "--status", [this](const std::string &v) { m_options.statuses = parseStatuses(v); },
               "the statuses to export: suggested, accepted, rejected, all\n(comma separated)")
            ->type_name("S,...")
            ->check(isStatusList());
    }

    int run(Context &ctx) override
    {
        if (m_options.format == ExportFormat::Brat && !*m_out)
            throw UsageError{"brat writes a folder of files: give it with --out"};
        Store *store = ctx.store(Access::Read);
        if (!store)
            return Failed;
        auto report = *m_out ? exportToPath(*store, m_options, m_path) : exportToStream(*store, m_options, ctx.out);
        if (!report) {
            // Standard output that failed: main() says why, once.
            if (const auto *buffer = dynamic_cast<const files::DescriptorBuffer *>(ctx.out.rdbuf()); buffer && buffer->error())
                return Failed;
            return ctx.fail(report.message());
        }
        if (*m_out)
            ctx.err << "exported " << report->documents << " documents, " << report->annotations << " annotations to "
                    << text::forTerminal(m_path) << '\n';
        return Ok;
    }

private:
    ExportOptions m_options;
    std::string m_path;
    CLI::Option *m_out = nullptr;
};

} // namespace

std::unique_ptr<Command> makeExportCommand() { return std::make_unique<ExportCommand>(); }

} // namespace lede::cli
