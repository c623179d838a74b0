#pragma once

#include "core/store/Database.h"

namespace lede {

class Store;

/// The SQLite connection under a Store, for the code that writes SQL: the
/// store layer itself, search (which reads the full-text index and the
/// summaries) and tests that inspect or damage a store on purpose. Nothing
/// else includes this header (tests/lint/layers.py refuses it): import,
/// export, the tagger, the CLI and the desktop go through Store's own calls.
Database &storeConnection(Store &store);

} // namespace lede
