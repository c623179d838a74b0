#pragma once

#include <span>
#include <string_view>

namespace lede::migrations {

/// One step of the schema's history: the SQL that takes a store from the
/// version before to `version`. Each step is applied in its own
/// transaction together with the matching `PRAGMA user_version`; a step,
/// once released, is never edited: change the schema by appending a step.
struct Migration {
    int version;
    std::string_view sql;
    /// Run after `sql`, in the same transaction: SQL that several steps
    /// share (the annotations table's triggers, made again by each rebuild).
    std::string_view then = {};
};

/// Every step, oldest first.
std::span<const Migration> all();

/// The version the last step leaves a store at.
int latestVersion();

} // namespace lede::migrations
