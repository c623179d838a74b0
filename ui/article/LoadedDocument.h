#pragma once

#include "core/store/Domain.h"
#include "core/base/Result.h"
#include "ui/base/Utf16Index.h"

#include <QString>

#include <memory>
#include <vector>

namespace lede {
class Store;
}

namespace lede::ui {

/// A document read for display: its text as a QString with the index that
/// converts the store's code-point offsets, and its annotations. Built on
/// a background connection, then shared read-only with the UI thread.
struct LoadedDocument {
    DocumentInfo info;
    QString text;
    Utf16Index offsets;
    std::vector<Annotation> annotations; // every status, by start then end

    /// Reads document `id` and all its annotations.
    static Result<std::shared_ptr<const LoadedDocument>> load(Store &store, std::int64_t id);
};

} // namespace lede::ui
