#include "core/io/import/ImportReaders.h"

#include "core/base/Memory.h"
#include "core/text/Text.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <new>
#include <system_error>

namespace fs = std::filesystem;

namespace lede::importing {

ImportReaders::ImportReaders(const std::vector<PlannedFile> &files, const ImportOptions &options)
    : m_files(files)
    , m_options(options)
    , m_slots(files.size())
{
    unsigned threads = options.readerThreads;
    if (threads == 0)
        threads = std::max(1u, std::thread::hardware_concurrency() - 1);
    threads = std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(1, files.size())));
    for (unsigned t = 0; t < threads && !files.empty(); ++t)
        m_threads.emplace_back([this] { read(); });
}

ImportReaders::~ImportReaders()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    // m_threads, destroyed first, joins them.
}

ReadFile ImportReaders::take(std::size_t i)
{
    ReadFile file;
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_slots[i].has_value(); });
        file = std::move(*m_slots[i]);
        m_slots[i].reset();
        m_taken = i + 1;
    }
    m_changed.notify_all();
    return file;
}

void ImportReaders::giveBack(ReadFile file)
{
    std::unique_lock lock(m_mutex);
    // With every file read the readers are gone: the writer frees it now,
    // so that the last files' documents do not outlive their write.
    if (m_nextToRead >= m_files.size()) {
        lock.unlock();
        return;
    }
    m_done.push_back(std::move(file));
}

void ImportReaders::read()
{
    const ImportOptions::Annotator annotate = m_options.makeAnnotator ? m_options.makeAnnotator() : nullptr;
    for (;;) {
        std::size_t i;
        std::vector<ReadFile> done;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [&] {
                return m_stop || m_nextToRead >= m_files.size() || m_nextToRead < m_taken + kWindow;
            });
            if (m_stop || m_nextToRead >= m_files.size())
                return;
            i = m_nextToRead++;
            done.swap(m_done);
        }
        done.clear(); // freed here, outside the lock
        ReadFile file;
        try {
            file = readOne(i, annotate);
        } catch (const std::bad_alloc &) {
            file.documents = makeError("not enough memory to read it (try a smaller --max-size, or split the file)",
                                       ErrorKind::Full);
        } catch (const std::exception &e) {
            file.documents = makeError(std::string("cannot read it: ") + e.what());
        }
        {
            std::lock_guard lock(m_mutex);
            m_slots[i].emplace(std::move(file));
        }
        m_changed.notify_all();
    }
}

ReadFile ImportReaders::readOne(std::size_t i, const ImportOptions::Annotator &annotate) const
{
    ReadFile file;
    std::error_code ec;
    file.bytes = fs::file_size(m_files[i].path, ec);
    if (ec)
        file.bytes = 0;
    file.documents = readArticleFile(m_files[i].path, m_files[i].source, m_options.maxFileSize);
    if (annotate && file.documents) {
        for (ParsedDocument &doc : *file.documents)
            if (doc.annotations.empty()) {
                // Not one conditional expression: its type would be a
                // string, and a normalised text would be copied whole.
                if (doc.document.normalized)
                    doc.suggestions = annotate(doc.document.text);
                else
                    doc.suggestions = annotate(text::normalize(doc.document.text));
            }
        // Tagging a long text works through many megabytes of short-lived
        // tokens and features in this thread's heap, which the allocator
        // keeps once freed, while the writer's thread takes as much again
        // for the text's rows: given back, the two do not add up.
        memory::giveBackFreePagesAfter(file.bytes);
    }
    return file;
}

} // namespace lede::importing
