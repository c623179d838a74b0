#include "ui/article/LoadedDocument.h"

#include "core/store/Store.h"
#include "ui/base/QtText.h"

namespace lede::ui {

Result<std::shared_ptr<const LoadedDocument>> LoadedDocument::load(Store &store, std::int64_t id)
{
    LEDE_TRY_ASSIGN(auto document, store.document(id));
    LEDE_TRY_ASSIGN(auto annotations, store.annotations(id));
    auto loaded = std::make_shared<LoadedDocument>();
    loaded->text = toQString(document.text);
    loaded->offsets = Utf16Index(loaded->text);
    loaded->annotations = std::move(annotations);
    document.text.clear();
    loaded->info = std::move(document);
    return std::shared_ptr<const LoadedDocument>(std::move(loaded));
}

} // namespace lede::ui
