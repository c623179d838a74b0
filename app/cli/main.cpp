#include "Cli.h"

#include "core/base/Files.h"
#include "core/base/Memory.h"

#include <iostream>
#include <unistd.h>

int main(int argc, char **argv)
{
    lede::memory::returnLargeBlocksOnFree();
    std::ios::sync_with_stdio(false);
    std::vector<std::string> args(argv + 1, argv + argc);
    // Standard output through a buffer that keeps the reason a write
    // failed (a full disk, a closed pipe), to say it rather than that a
    // stream failed.
    lede::files::DescriptorBuffer buffer(STDOUT_FILENO);
    std::ostream out(&buffer);
    int status = lede::cli::run(args, out, std::cerr, isatty(STDERR_FILENO) != 0);
    out.flush();
    if (buffer.error() != 0) {
        std::cerr << "lede-cli: cannot write to standard output: " << lede::files::systemMessage(buffer.error()) << '\n';
        if (status == 0)
            status = 1;
    }
    return status;
}
