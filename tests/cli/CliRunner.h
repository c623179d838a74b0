#pragma once

#include "TestUtil.h"

#include <spawn.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <cstdio>
#include <string>
#include <vector>

extern char **environ;

// lede-cli run as a separate process, as an analyst's shell runs it, on the
// store of a test's temporary folder (never a real store).
namespace lede::test {

struct CliRun {
    int status = -1; // exit status; 128 + signal when killed; -1 when it could not start
    std::string out;
    std::string err;
};

/// Starts lede-cli with exactly `args`, standard input from /dev/null and
/// output to the given files; returns the process id (0 when it could not
/// start).
inline pid_t spawnProgram(std::vector<std::string> args, const std::string &outPath = "/dev/null",
                          const std::string &errPath = "/dev/null")
{
    args.insert(args.begin(), LEDE_CLI_PATH);
    std::vector<char *> argv;
    for (std::string &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    if (posix_spawn(&pid, LEDE_CLI_PATH, &actions, nullptr, argv.data(), environ) != 0)
        pid = 0;
    posix_spawn_file_actions_destroy(&actions);
    return pid;
}

/// Starts lede-cli with `args` on `dir`'s store (see spawnProgram).
inline pid_t spawnCli(const TempDir &dir, std::vector<std::string> args, const std::string &outPath = "/dev/null",
                      const std::string &errPath = "/dev/null")
{
    args.insert(args.begin(), {"--db", dir.file("store.sqlite")});
    return spawnProgram(std::move(args), outPath, errPath);
}

/// Waits for a process from spawnCli and returns its exit status.
inline int waitCli(pid_t pid)
{
    if (pid == 0)
        return -1;
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/// Runs lede-cli to the end and returns its status and output.
inline CliRun runCli(const TempDir &dir, std::vector<std::string> args)
{
    static int counter = 0;
    const std::string outPath = dir.file("cli-out-" + std::to_string(counter));
    const std::string errPath = dir.file("cli-err-" + std::to_string(counter++));
    CliRun run;
    run.status = waitCli(spawnCli(dir, std::move(args), outPath, errPath));
    run.out = readFile(outPath);
    run.err = readFile(errPath);
    return run;
}

/// Runs lede-cli with exactly `args` (no --db added: give one, or the
/// store would be the user's), its output kept in files of `dir`.
inline CliRun runProgram(const TempDir &dir, std::vector<std::string> args)
{
    static int counter = 0;
    const std::string outPath = dir.file("program-out-" + std::to_string(counter));
    const std::string errPath = dir.file("program-err-" + std::to_string(counter++));
    CliRun run;
    run.status = waitCli(spawnProgram(std::move(args), outPath, errPath));
    run.out = readFile(outPath);
    run.err = readFile(errPath);
    return run;
}

inline bool contains(const std::string &haystack, const std::string &needle)
{
    return haystack.find(needle) != std::string::npos;
}

/// `lede-cli check` on `dir`'s store, as an analyst would run it after
/// whatever the test put the store through: true when it found it sound.
/// Prints what it said otherwise.
inline bool storeChecksOut(const TempDir &dir)
{
    const CliRun run = runCli(dir, {"check"});
    if (run.status == 0 && run.out.rfind("ok: ", 0) == 0)
        return true;
    std::fprintf(stderr, "lede-cli check (status %d):\n%s%s", run.status, run.out.c_str(), run.err.c_str());
    return false;
}

} // namespace lede::test
