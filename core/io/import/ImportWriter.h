#pragma once

#include "core/io/Importer.h"
#include "core/store/Store.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lede::importing {

/// The writer: the one thread that touches the store. Files are written in
/// batches: each file inside its own savepoint, so that it lands whole or
/// not at all, and the batch committed every quarter second or 500 files.
/// Committing per file would make SQLite flush a new full-text segment
/// for every article and halve the import rate; a kill loses at most the
/// open batch, which re-running restores. Whatever the writer learns goes
/// into the report.
class ImportWriter {
public:
    ImportWriter(Store &store, ImportReport &report) : m_store(store), m_report(report) {}
    ImportWriter(const ImportWriter &) = delete;
    ImportWriter &operator=(const ImportWriter &) = delete;

    /// Stores one file's documents (a duplicate from a Lede export has its
    /// annotations merged), or records why it could not.
    void write(const std::string &path, const std::vector<ParsedDocument> &documents);
    /// Commits the open batch when it is due; finish() commits it anyway.
    void commitIfDue();
    void finish() { commitBatch(); }

private:
    void openBatch();
    void commitBatch();
    // Nothing of the open batch was kept: its documents are failures now.
    void loseBatch(const std::string &why);

    static constexpr auto kBatchTime = std::chrono::milliseconds(250);
    static constexpr std::size_t kBatchFiles = 500;
    Store &m_store;
    ImportReport &m_report;
    std::optional<Transaction> m_batch;
    std::chrono::steady_clock::time_point m_batchStarted;
    std::vector<std::pair<std::string, std::int64_t>> m_inBatch; // (file, document id) the open batch added
    std::size_t m_filesInBatch = 0;
};

} // namespace lede::importing
