#pragma once

#include <optional>
#include <string>
#include <vector>

namespace lede {

/// Why this process could not write the store at `path`, as a phrase that
/// completes "the store is read-only: ...", or nullopt when it can.
///
/// Writing a store in WAL mode takes three files: the store itself and,
/// beside it, SQLite's write-ahead log (`path`-wal) and shared-memory index
/// (`path`-shm), which SQLite creates when they are missing. So a store is
/// read-only when any of the three is not writable, or when one is missing
/// and its folder is not writable. Only permissions and read-only file
/// systems are checked, with this process's effective ids; a full disk
/// shows later, as a failed write. A store that does not exist yet yields
/// nullopt: whether it can be created is for the open to say.
std::optional<std::string> storeReadOnlyReason(const std::string &path);

/// Other processes that hold locks on the store at `path` (on the file
/// itself, or on its -shm, where WAL writers lock), as "lede-cli (process
/// 4711)", read from /proc/locks; empty where none is found or there is no
/// /proc. Opens none of the store's files.
std::vector<std::string> storeLockHolders(const std::string &path);

} // namespace lede
