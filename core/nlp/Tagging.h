#pragma once

#include "core/nlp/EntityTagger.h"
#include "core/store/Domain.h"
#include "core/base/Result.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace lede {

class Store;

/// The built-in tagger taught what the analyst reviewed in `store`: names
/// annotated or accepted are suggested everywhere, names rejected as a
/// type are not suggested as that type again.
Result<std::unique_ptr<EntityTagger>> taggerForStore(Store &store);

/// An ImportOptions::makeAnnotator that gives each reader thread its own
/// tagger built like taggerForStore (the learned names are read once, here).
Result<std::function<Annotator()>> annotatorFactory(Store &store);

struct TagReport {
    std::size_t documents = 0;
    std::size_t suggestions = 0;
    double seconds = 0;
    bool cancelled = false;
};

/// Re-tags documents (all when `ids` is empty): each document's unreviewed
/// suggestions are replaced in its own transaction; what the analyst made
/// or reviewed stays. `progress(done, total)` runs after each document.
Result<TagReport> retagDocuments(Store &store, EntityTagger &tagger, const std::vector<std::int64_t> &ids,
                                 const std::function<void(std::size_t, std::size_t)> &progress = {},
                                 const std::atomic<bool> *cancel = nullptr);

} // namespace lede
