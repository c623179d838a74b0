#pragma once

#include "core/io/Importer.h"

#include <string>
#include <vector>

namespace lede::importing {

/// One file an import will read: where it is, and the name its documents
/// record as their source (the path under the folder given, in UTF-8).
struct PlannedFile {
    std::string path;
    std::string source;
};

/// The planner: expands files and folders (recursively) into the files to
/// import, in a stable order, each once however often it is named. Hidden
/// files and folders and links to folders are passed over; files of other
/// extensions are counted in `report.ignored`; what cannot be read is a
/// failure in `report`, and the walk goes on.
std::vector<PlannedFile> planFiles(const std::vector<std::string> &paths, ImportReport &report);

} // namespace lede::importing
