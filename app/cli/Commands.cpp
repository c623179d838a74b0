#include "Command.h"

namespace lede::cli {

std::vector<std::unique_ptr<Command>> allCommands()
{
    std::vector<std::unique_ptr<Command>> out;
    for (auto make : {makeImportCommand, makeListCommand, makeShowCommand, makeAnnotateCommand, makeExportCommand,
                      makeTypesCommand, makeSearchCommand, makeEntitiesCommand, makeTagCommand, makeEvalCommand,
                      makeTrainCommand, makeStatsCommand, makeBackupCommand, makeCheckCommand})
        out.push_back(make());
    return out;
}

} // namespace lede::cli
