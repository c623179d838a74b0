#include "core/io/import/ImportWriter.h"

#include <algorithm>

namespace lede::importing {

void ImportWriter::openBatch()
{
    if (m_batch)
        return;
    if (auto tx = m_store.transaction(); tx) {
        m_batch.emplace(std::move(*tx));
        m_batchStarted = std::chrono::steady_clock::now();
        // The batch's documents are indexed for search together, just
        // before it commits; without that, each is indexed as it comes.
        (void)m_store.deferIndexing();
    }
}

void ImportWriter::commitIfDue()
{
    if (++m_filesInBatch >= kBatchFiles || std::chrono::steady_clock::now() - m_batchStarted >= kBatchTime)
        commitBatch();
}

void ImportWriter::commitBatch()
{
    if (!m_batch) {
        m_filesInBatch = 0;
        return;
    }
    if (Status st = m_store.indexDeferred(); !st) {
        loseBatch("cannot index it for search: " + st.message());
        return;
    }
    if (Status st = m_batch->commit(); !st) {
        loseBatch(st.message());
        return;
    }
    m_batch.reset();
    m_inBatch.clear();
    m_filesInBatch = 0;
}

void ImportWriter::loseBatch(const std::string &why)
{
    for (const auto &[path, id] : m_inBatch) {
        m_report.failures.push_back({path, "cannot store it: " + why});
        --m_report.imported;
        m_report.documentIds.erase(std::remove(m_report.documentIds.begin(), m_report.documentIds.end(), id),
                                   m_report.documentIds.end());
    }
    m_batch.reset();
    m_store.cancelDeferredIndexing();
    m_inBatch.clear();
    m_filesInBatch = 0;
}

void ImportWriter::write(const std::string &path, const std::vector<ParsedDocument> &documents)
{
    openBatch();
    // One file, in a savepoint of its own inside the batch: all of its
    // documents land, or none of them do and the file is one failure.
    std::size_t imported = 0, duplicates = 0, merged = 0, conflicts = 0, mergedDocuments = 0;
    std::vector<std::int64_t> ids;
    std::optional<std::string> failure;
    std::optional<Transaction> unit;
    if (auto tx = m_store.transaction(); tx)
        unit.emplace(std::move(*tx));
    else
        failure = tx.message();
    for (std::size_t d = 0; d < documents.size() && !failure; ++d) {
        const ParsedDocument &doc = documents[d];
        const std::string where = documents.size() > 1 ? "document " + std::to_string(d + 1) + ": " : "";
        auto added = doc.annotations.empty() ? m_store.addDocument(doc.document, doc.suggestions)
                                             : m_store.addDocument(doc.document, doc.annotations);
        if (!added) {
            failure = where + added.message();
            break;
        }
        if (!added->duplicate) {
            ++imported;
            ids.push_back(added->id);
            continue;
        }
        ++duplicates;
        if (!doc.fromExport || doc.annotations.empty())
            continue;
        auto merge = m_store.mergeAnnotations(added->id, doc.annotations);
        if (!merge) {
            failure = where + merge.message();
            break;
        }
        merged += merge->merged();
        conflicts += merge->conflicts;
        ++mergedDocuments;
    }
    if (!failure)
        if (Status st = unit->commit(); !st)
            failure = st.message();
    if (failure) {
        unit.reset();
        m_report.failures.push_back({path, "cannot store it: " + *failure});
        // On a full disk or an I/O error SQLite rolls back the whole batch
        // by itself: what it held is lost, and says so.
        if (m_batch && !m_store.inTransaction())
            loseBatch(*failure);
        return;
    }
    m_report.imported += imported;
    m_report.duplicates += duplicates;
    m_report.mergedDocuments += mergedDocuments;
    m_report.mergedAnnotations += merged;
    m_report.conflicts += conflicts;
    for (const std::int64_t id : ids) {
        m_report.documentIds.push_back(id);
        if (m_batch)
            m_inBatch.emplace_back(path, id);
    }
}

} // namespace lede::importing
