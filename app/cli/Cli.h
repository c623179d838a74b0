#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace lede::cli {

/// Exit statuses of lede-cli.
enum ExitCode { Ok = 0, Failed = 1, Usage = 2 };

/// Runs lede-cli with `args` (without the program name), printing results
/// to `out` and messages to `err`. `interactive` enables the progress line.
int run(const std::vector<std::string> &args, std::ostream &out, std::ostream &err, bool interactive);

} // namespace lede::cli
