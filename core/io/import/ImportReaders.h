#pragma once

#include "core/io/Importer.h"
#include "core/io/import/FilePlan.h"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace lede::importing {

/// What reading one file gave: its documents or why not, and its size.
struct ReadFile {
    Result<std::vector<ParsedDocument>> documents = makeError("not read");
    std::uint64_t bytes = 0;
};

/// The reader pool: threads that read, decode, parse and (with an
/// annotator) tag the planned files ahead of the writer, at most a window
/// of files ahead, each into a slot of its own; take() hands them over
/// strictly in order. The threads are std::jthreads owned by the pool:
/// however the import ends, by its last file, a cancel or an exception,
/// destroying the pool stops and joins them. A reader that throws (say,
/// out of memory on one huge file) makes that file a failure.
class ImportReaders {
public:
    ImportReaders(const std::vector<PlannedFile> &files, const ImportOptions &options);
    ~ImportReaders();
    ImportReaders(const ImportReaders &) = delete;
    ImportReaders &operator=(const ImportReaders &) = delete;

    /// File `i` once read; blocks until a reader has it. Call with 0, 1,
    /// 2… in turn: taking a file also lets the readers move on past it.
    ReadFile take(std::size_t i);
    /// Hands back a file the writer is done with: a reader frees its
    /// documents (megabytes of text and annotations) off the writer's time.
    void giveBack(ReadFile file);

private:
    void read();
    ReadFile readOne(std::size_t i, const ImportOptions::Annotator &annotate) const;

    static constexpr std::size_t kWindow = 32;
    const std::vector<PlannedFile> &m_files;
    const ImportOptions &m_options;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<std::optional<ReadFile>> m_slots;
    std::vector<ReadFile> m_done; // given back, for a reader to free
    std::size_t m_nextToRead = 0;
    std::size_t m_taken = 0;
    bool m_stop = false;
    // Last, so that the threads are joined before the state they use goes.
    std::vector<std::jthread> m_threads;
};

} // namespace lede::importing
