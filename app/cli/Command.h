#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace CLI {
class App;
}

namespace lede::cli {

class Context;

/// One lede-cli command, in its own file under commands/: it declares its
/// options and arguments, with their help, on its own CLI11 subcommand, and
/// runs once the command line is read.
class Command {
public:
    struct About {
        std::string name;
        /// What follows the name in `lede-cli --help`: "PATH...".
        std::string arguments;
        /// One line for `lede-cli --help`.
        std::string summary;
        /// Usage lines where the one generated from the options cannot say
        /// it (alternative forms); empty for the generated one.
        std::string usage;
        /// What `lede-cli COMMAND --help` says above the options.
        std::string description;
        /// What it says below them; empty for nothing.
        std::string footer;
    };

    explicit Command(About about) : m_about(std::move(about)) {}
    virtual ~Command() = default;
    const About &about() const { return m_about; }
    /// Declares the options and arguments on `app`, the command's
    /// subcommand.
    virtual void declare(CLI::App &app) = 0;
    /// Runs the command with what was read. Throws UsageError for a
    /// command line that reads but does not make sense.
    virtual int run(Context &ctx) = 0;

private:
    About m_about;
};

/// Every command, in the order `lede-cli --help` lists them.
std::vector<std::unique_ptr<Command>> allCommands();

std::unique_ptr<Command> makeImportCommand();
std::unique_ptr<Command> makeListCommand();
std::unique_ptr<Command> makeShowCommand();
std::unique_ptr<Command> makeAnnotateCommand();
std::unique_ptr<Command> makeExportCommand();
std::unique_ptr<Command> makeTypesCommand();
std::unique_ptr<Command> makeSearchCommand();
std::unique_ptr<Command> makeEntitiesCommand();
std::unique_ptr<Command> makeTagCommand();
std::unique_ptr<Command> makeEvalCommand();
std::unique_ptr<Command> makeTrainCommand();
std::unique_ptr<Command> makeStatsCommand();
std::unique_ptr<Command> makeBackupCommand();
std::unique_ptr<Command> makeCheckCommand();

} // namespace lede::cli
