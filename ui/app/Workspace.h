#pragma once

#include "core/store/Domain.h"
#include "core/base/Result.h"
#include "core/store/DeskOperations.h"
#include "ui/app/ReaderPool.h"

#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

class QTimer;
class QUndoStack;

namespace lede {
class Store;
}

namespace lede::ui {

class AnnotationCommand;

/// One annotation before and after an edit: absent before for an added
/// annotation, absent after for a removed one.
struct AnnotationChange {
    std::optional<Annotation> before;
    std::optional<Annotation> after;
};

/// The open store as the desktop application sees it: the UI thread's
/// connection, a pool of background readers, the entity types, and the
/// undo stack through which every annotation change goes.
///
/// Every change is written to the store at once (no save step) and pushed
/// on the undo stack; undo and redo write again. Views listen to the
/// signals rather than to each other.
class Workspace : public QObject {
    Q_OBJECT

public:
    explicit Workspace(QObject *parent = nullptr);
    ~Workspace() override;

    /// Opens (creating if need be) the store at `path`, replacing the open
    /// one; clears the undo stack. On failure the previous store stays.
    Status open(const QString &path);
    bool isOpen() const { return m_store != nullptr; }
    QString path() const;
    /// The UI thread's connection. Only valid while isOpen().
    Store &store() { return *m_store; }
    QUndoStack *undoStack() const { return m_undoStack; }

    const std::vector<EntityType> &types() const { return m_types; }
    std::optional<EntityType> type(const QString &name) const;
    /// The type whose shortcut is `key` (letters compared case-insensitively).
    std::optional<EntityType> typeForKey(const QString &key) const;
    void reloadTypes();

    /// Counts for the status bar, refreshed in the background after changes.
    const StoreCounts &counts() const { return m_counts; }
    void refreshCounts();

    /// Writes `changes` in one transaction and, when that succeeds, pushes
    /// an undoable command named `text`. False (with errorOccurred) when
    /// the store refused; nothing changed then.
    bool apply(const QString &text, std::vector<AnnotationChange> changes);

    /// Renames an entity, undoably. False (with errorOccurred) on failure.
    bool renameEntity(std::int64_t entityId, const QString &name);

    /// An annotation id as it is now: an annotation that undo removed and
    /// redo restored may have come back under another id.
    std::int64_t currentId(std::int64_t id) const;
    void remapId(std::int64_t from, std::int64_t to);

    /// Runs `work` on a background connection and hands its result to
    /// `done` on the UI thread, unless `context` is gone by then.
    template <typename T>
    void read(QObject *context, std::function<Result<T>(Store &)> work, std::function<void(Result<T>)> done)
    {
        if (!m_readers)
            return;
        auto slot = std::make_shared<std::optional<Result<T>>>();
        auto *watcher = new QFutureWatcher<void>(context);
        QObject::connect(watcher, &QFutureWatcher<void>::finished, context, [watcher, slot, done = std::move(done)] {
            watcher->deleteLater();
            if (*slot)
                done(std::move(**slot));
        });
        watcher->setFuture(QtConcurrent::run(&m_pool, [readers = m_readers, slot, work = std::move(work)] {
            *slot = readers->with(work);
        }));
    }

    /// Tells listeners that changes were made outside the undo stack
    /// (imports, re-tagging).
    void notifyDocumentsChanged();
    void notifyAnnotationsChanged(const QList<qint64> &documentIds);

Q_SIGNALS:
    void storeOpened();
    void typesChanged();
    void documentsChanged();
    /// Annotations of these documents changed; an empty list means any.
    void annotationsChanged(const QList<qint64> &documentIds);
    /// After an edit, undo or redo: where it happened, to show it.
    void changeApplied(qint64 documentId, qint64 start, qint64 end);
    void countsChanged();
    void errorOccurred(const QString &message);

private:
    friend class AnnotationCommand;
    friend class RenameEntityCommand;
    void reportError(const QString &what, const std::string &message);

    std::unique_ptr<Store> m_store;
    std::shared_ptr<ReaderPool> m_readers;
    QThreadPool m_pool;
    QUndoStack *m_undoStack = nullptr;
    QTimer *m_countsTimer = nullptr;
    std::vector<EntityType> m_types;
    StoreCounts m_counts;
    std::unordered_map<std::int64_t, std::int64_t> m_idRemap;
};

} // namespace lede::ui
