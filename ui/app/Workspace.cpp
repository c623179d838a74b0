#include "ui/app/Workspace.h"

#include "core/store/Store.h"
#include "core/store/StoreAccess.h"
#include "ui/article/AnnotationCommand.h"
#include "ui/base/QtText.h"
#include "ui/entities/RenameEntityCommand.h"

#include <QTimer>
#include <QUndoStack>

namespace lede::ui {

Workspace::Workspace(QObject *parent)
    : QObject(parent)
    , m_undoStack(new QUndoStack(this))
    , m_countsTimer(new QTimer(this))
{
    // Two readers are enough to load an article while a longer query (a
    // sort of a large list, the corpus entities) runs.
    m_pool.setMaxThreadCount(2);
    m_undoStack->setUndoLimit(1000);
    m_countsTimer->setSingleShot(true);
    m_countsTimer->setInterval(250);
    connect(m_countsTimer, &QTimer::timeout, this, [this] {
        read<StoreCounts>(this, [](Store &store) { return storeCounts(store); }, [this](Result<StoreCounts> counts) {
            if (counts) {
                m_counts = *counts;
                Q_EMIT countsChanged();
            }
        });
    });
}

Workspace::~Workspace()
{
    // Tasks hold their own connections; wait so none outlives the thread
    // pool they run in.
    m_pool.waitForDone();
}

QString Workspace::path() const { return m_store ? toQString(m_store->path()) : QString(); }

Status Workspace::open(const QString &path)
{
    // Every edit is saved as it is made, so a store this process cannot
    // write is refused now, with the reason, rather than at the first edit.
    const std::string file = toUtf8(path);
    if (auto why = storeReadOnlyReason(file))
        return makeError(file + ": the store is read-only (" + *why
                         + "). Lede saves every change to its store as you make it: make the store writable, "
                           "or open a copy of it.");
    Store::OpenOptions options;
    options.createParent = file == Store::builtInPath();
    LEDE_TRY_ASSIGN(auto store, Store::open(file, options));
    m_undoStack->clear();
    m_idRemap.clear();
    m_store = std::move(store);
    m_readers = std::make_shared<ReaderPool>(m_store->path());
    m_counts = {};
    reloadTypes();
    Q_EMIT storeOpened();
    refreshCounts();
    return {};
}

std::optional<EntityType> Workspace::type(const QString &name) const
{
    const std::string n = toUtf8(name);
    for (const EntityType &t : m_types)
        if (t.name == n)
            return t;
    return std::nullopt;
}

std::optional<EntityType> Workspace::typeForKey(const QString &key) const
{
    if (key.isEmpty())
        return std::nullopt;
    for (const EntityType &t : m_types) {
        if (!t.shortcut.empty() && toQString(t.shortcut).compare(key, Qt::CaseInsensitive) == 0)
            return t;
    }
    return std::nullopt;
}

void Workspace::reloadTypes()
{
    if (!m_store)
        return;
    auto types = m_store->types();
    if (!types) {
        reportError(tr("Could not read the entity types"), types.message());
        return;
    }
    m_types = std::move(*types);
    Q_EMIT typesChanged();
}

void Workspace::refreshCounts()
{
    if (m_store)
        m_countsTimer->start();
}

bool Workspace::apply(const QString &text, std::vector<AnnotationChange> changes)
{
    if (!m_store || changes.empty())
        return false;
    auto command = std::make_unique<AnnotationCommand>(this, text, std::move(changes));
    if (auto st = command->execute(); !st) {
        reportError(tr("Could not %1").arg(text.isEmpty() ? text : text.at(0).toLower() + text.mid(1)), st.message());
        return false;
    }
    m_undoStack->push(command.release());
    return true;
}

bool Workspace::renameEntity(std::int64_t entityId, const QString &name)
{
    if (!m_store)
        return false;
    auto entity = m_store->entity(entityId);
    if (!entity) {
        reportError(tr("Could not rename the entity"), entity.message());
        return false;
    }
    auto command = std::make_unique<RenameEntityCommand>(this, entityId, toQString(entity->name), name.trimmed());
    if (auto st = command->execute(); !st) {
        reportError(tr("Could not rename “%1”").arg(toQString(entity->name)), st.message());
        return false;
    }
    m_undoStack->push(command.release());
    return true;
}

std::int64_t Workspace::currentId(std::int64_t id) const
{
    // Chains are short: one link per undo/redo that found its id taken.
    for (auto it = m_idRemap.find(id); it != m_idRemap.end(); it = m_idRemap.find(id))
        id = it->second;
    return id;
}

void Workspace::remapId(std::int64_t from, std::int64_t to)
{
    if (from == to)
        return;
    // `to` is a live id again; an older link away from it would now make
    // a cycle.
    m_idRemap.erase(to);
    m_idRemap[from] = to;
}

void Workspace::notifyDocumentsChanged()
{
    Q_EMIT documentsChanged();
    refreshCounts();
}

void Workspace::notifyAnnotationsChanged(const QList<qint64> &documentIds)
{
    Q_EMIT annotationsChanged(documentIds);
    refreshCounts();
}

void Workspace::reportError(const QString &what, const std::string &message)
{
    Q_EMIT errorOccurred(what + QStringLiteral(": ") + toQString(message));
}

} // namespace lede::ui
