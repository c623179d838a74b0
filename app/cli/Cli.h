#pragma once

#include "Context.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace lede::cli {

/// Runs lede-cli with `args` (without the program name), printing results
/// to `out` and messages to `err`. `interactive` enables the progress line.
int run(const std::vector<std::string> &args, std::ostream &out, std::ostream &err, bool interactive);

} // namespace lede::cli
