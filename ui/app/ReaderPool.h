#pragma once

#include "core/base/Result.h"
#include "core/store/Store.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace lede::ui {

/// Read-only connections to one store for work off the UI thread: each
/// task borrows a connection of its own for its duration, so loading an
/// article never waits for a long query, and the UI thread's connection
/// never waits for either. WAL lets them all read while the UI writes.
///
/// Shared (std::shared_ptr) between the Workspace and the tasks it
/// starts, so a task that outlives a store switch still has its
/// connection. Thread-safe.
class ReaderPool {
public:
    explicit ReaderPool(std::string path) : m_path(std::move(path)) {}

    const std::string &path() const { return m_path; }

    /// Runs `work(Store &)` with a borrowed connection on the calling
    /// thread and returns its Result, or the error of opening one.
    template <typename Work>
    auto with(Work &&work) -> decltype(work(std::declval<Store &>()))
    {
        LEDE_TRY_ASSIGN(auto store, acquire());
        auto result = work(*store);
        release(std::move(store));
        return result;
    }

private:
    Result<std::unique_ptr<Store>> acquire()
    {
        {
            std::lock_guard lock(m_mutex);
            if (!m_idle.empty()) {
                auto store = std::move(m_idle.back());
                m_idle.pop_back();
                return store;
            }
        }
        Store::OpenOptions options;
        options.readOnly = true;
        return Store::open(m_path, options);
    }

    void release(std::unique_ptr<Store> store)
    {
        std::lock_guard lock(m_mutex);
        if (m_idle.size() < kMaxIdle)
            m_idle.push_back(std::move(store));
    }

    static constexpr std::size_t kMaxIdle = 3;
    std::string m_path;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<Store>> m_idle;
};

} // namespace lede::ui
