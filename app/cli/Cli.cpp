#include "Cli.h"

#include "Arguments.h"
#include "Command.h"
#include "Context.h"
#include "Help.h"

#include "core/store/Store.h"
#include "core/text/Text.h"

#include <CLI/CLI.hpp>

#include <new>

#include <cstdlib>
#include <map>
#include <ostream>

namespace lede::cli {

namespace {

constexpr const char *kDescription = "Lede keeps articles and their entity annotations in one store file.";
constexpr const char *kFooter = "Exit status: 0 success, 1 some work failed, 2 a usage error.";

// An option of `app` (or of the program, which --db and --version belong
// to) whose name starts `message` as CLI11 writes it: "NAME: ...".
const CLI::Option *optionNamedIn(const CLI::App &app, const std::string &message)
{
    for (const CLI::App *a = &app; a; a = a->get_parent())
        for (const CLI::Option *option : a->get_options())
            if (message.rfind(option->get_name() + ":", 0) == 0)
                return option;
    return nullptr;
}

std::string afterName(const std::string &message, const CLI::Option &option)
{
    std::string rest = message.substr(option.get_name().size() + 1);
    return rest.empty() || rest[0] != ' ' ? rest : rest.substr(1);
}

// What was wrong with the command line, in Lede's words. CLI11's errors
// carry their facts in their messages; `command` is the subcommand that
// was being read, or the program; `extras` what CLI11 could not place.
std::string describe(const CLI::ParseError &error, const CLI::App &program, const CLI::App &command,
                     const std::vector<std::string> &extras)
{
    // The error's name is not its kind: an ExtrasError is named after the app.
    const std::string message = error.what();
    const bool atProgram = &command == &program;
    if (dynamic_cast<const CLI::ExtrasError *>(&error)) {
        if (extras.empty())
            return message;
        const std::string &first = extras.front();
        if (first.size() > 1 && first[0] == '-')
            return "unknown option '" + first.substr(0, first.find('=')) + "'";
        if (atProgram)
            return "unknown command '" + first + "'";
        bool positionals = false;
        for (const CLI::Option *option : command.get_options())
            positionals = positionals || option->get_positional();
        return positionals ? "unexpected argument '" + first + "'" : command.get_name() + " takes no arguments";
    }
    if (dynamic_cast<const CLI::ExcludesError *>(&error)) {
        const auto at = message.find(" excludes ");
        if (at != std::string::npos)
            return message.substr(0, at) + " cannot be combined with " + message.substr(at + 10);
    }
    if (dynamic_cast<const CLI::RequiresError *>(&error)) {
        const auto at = message.find(" requires ");
        if (at != std::string::npos)
            return message.substr(0, at) + " goes with " + message.substr(at + 10);
    }
    if (dynamic_cast<const CLI::ConversionError *>(&error)) {
        // Only flags are converted by CLI11 ("--json=x"); values are read by Lede.
        const auto at = message.find(": ");
        const std::string rest = at == std::string::npos ? message : message.substr(at + 2);
        return "option '" + rest.substr(0, rest.find(' ')) + "' takes no value";
    }
    const CLI::Option *option = optionNamedIn(command, message);
    if (!option)
        return message;
    if (dynamic_cast<const CLI::ValidationError *>(&error))
        return afterName(message, *option);
    if (dynamic_cast<const CLI::ArgumentMismatch *>(&error)) {
        const int values = option->get_items_expected_min();
        if (values == 1 && option->get_type_name() == kPath && message.find("missing") != std::string::npos)
            return "option '" + option->get_name() + "' needs a path";
        if (message.find("At Most") != std::string::npos && option->get_items_expected_max() == values && values == 1)
            return "option '" + option->get_name() + "' given twice";
        return "option '" + option->get_name() + "' needs " + std::to_string(values) + (values == 1 ? " value" : " values");
    }
    return message;
}

} // namespace

int run(const std::vector<std::string> &args, std::ostream &out, std::ostream &err, bool interactive)
{
    std::vector<std::unique_ptr<Command>> commands = allCommands();
    std::vector<Command::About> abouts;
    for (const auto &command : commands)
        abouts.push_back(command->about());

    CLI::App program(kDescription, "lede-cli");
    program.footer(kFooter);
    // --db may come after the command too: a subcommand hands the options
    // it does not know to the program.
    program.fallthrough();
    program.require_subcommand(0, 1);
    program.formatter(std::make_shared<HelpFormatter>(abouts));
    program.set_help_flag("-h,--help", "this text; 'lede-cli COMMAND --help' explains a command");
    std::string dbPath;
    program
        .add_option("--db", dbPath, "the store (default: $LEDE_DB, else $XDG_DATA_HOME/lede/lede.sqlite)")
        ->type_name(kPath)
        // The last one counts, so that a script's --db can be overridden.
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
        ->check(CLI::Validator([](std::string &v) { return v.empty() ? std::string("option '--db' needs a path") : std::string(); }, ""));
    bool version = false;
    program.add_flag("--version", version, "print the version");

    std::map<const CLI::App *, Command *> byApp;
    for (std::size_t i = 0; i < commands.size(); ++i) {
        CLI::App *sub = program.add_subcommand(abouts[i].name);
        sub->description(abouts[i].description);
        sub->footer(abouts[i].footer); // not the program's
        sub->formatter(std::make_shared<HelpFormatter>(abouts[i].usage));
        commands[i]->declare(*sub);
        byApp[sub] = commands[i].get();
    }

    auto parsedCommand = [&]() -> CLI::App * {
        const auto parsed = program.get_subcommands();
        return parsed.empty() ? nullptr : parsed.front();
    };
    auto usageError = [&](const CLI::App *sub, const std::string &message) {
        const std::string name = sub ? "lede-cli " + sub->get_name() : std::string("lede-cli");
        err << name << ": " << text::forTerminal(message) << "\nTry '" << name << " --help'.\n";
        return Usage;
    };

    // CLI11 takes the arguments last first, and leaves there what it could
    // not place.
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        program.parse(reversed);
    } catch (const CLI::CallForHelp &) {
        const CLI::App *sub = parsedCommand();
        out << (sub ? sub->help() : program.help());
        return Ok;
    } catch (const CLI::ParseError &e) {
        const CLI::App *sub = parsedCommand();
        return usageError(sub, describe(e, program, sub ? *sub : program, reversed));
    }

    if (version) {
        out << "lede-cli " << LEDE_VERSION << '\n';
        return Ok;
    }
    CLI::App *sub = parsedCommand();
    if (!sub) {
        err << program.help();
        return Usage;
    }
    if (const char *env = std::getenv("LEDE_DB"); dbPath.empty() && env && !*env) {
        err << "lede-cli: LEDE_DB is set but empty: set it to a store's path, or unset it to use "
            << text::forTerminal(Store::builtInPath()) << '\n';
        return Usage;
    }
    try {
        requireText(*sub);
        Context ctx(out, err, interactive, dbPath.empty() ? Store::defaultPath() : dbPath);
        return byApp.at(sub)->run(ctx);
    } catch (const UsageError &e) {
        return usageError(sub, e.message);
    } catch (const std::bad_alloc &) {
        // Core turns a reader's exhaustion into that file's failure; one
        // here (the writer, a huge export) stops the command. Transactions
        // roll back as the stack unwinds, so what was committed stays.
        err << "lede-cli: " << sub->get_name() << ": out of memory; what was committed before is kept\n";
        return Failed;
    }
}

} // namespace lede::cli
