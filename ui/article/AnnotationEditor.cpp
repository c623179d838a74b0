#include "ui/article/AnnotationEditor.h"

#include "core/store/Store.h"
#include "ui/dialogs/MessageBox.h"
#include "ui/base/QtText.h"

#include <QMenu>

#include <algorithm>
#include <map>

namespace lede::ui {

namespace {

QString elided(const QString &text)
{
    constexpr int kMax = 40;
    QString simple = text.simplified();
    return simple.size() > kMax ? simple.left(kMax - 1) + QChar(0x2026) : simple;
}

} // namespace

AnnotationEditor::AnnotationEditor(Workspace *workspace, ArticleView *view, QWidget *dialogParent)
    : QObject(view)
    , m_workspace(workspace)
    , m_view(view)
    , m_dialogParent(dialogParent)
{
    connect(view, &ArticleView::typeKeyPressed, this, &AnnotationEditor::typeKey);
    connect(view, &ArticleView::acceptRequested, this, &AnnotationEditor::acceptSelected);
    connect(view, &ArticleView::rejectRequested, this, &AnnotationEditor::rejectSelected);
    connect(view, &ArticleView::deleteRequested, this, &AnnotationEditor::deleteSelected);
    view->setMenuProvider([this](QMenu *menu) { populateMenu(menu); });
}

QString AnnotationEditor::describe(const Annotation &a) const
{
    return QStringLiteral("“%1”").arg(elided(m_view->textOf({a.start, a.end})));
}

QString AnnotationEditor::describe(const std::vector<Annotation> &targets) const
{
    if (targets.size() == 1)
        return describe(targets.front());
    return tr("%n annotation(s)", nullptr, static_cast<int>(targets.size()));
}

bool AnnotationEditor::typeKey(const QString &type)
{
    if (!m_view->selectedRange().empty()) {
        // A selection that is exactly an annotation (Tab selects them so)
        // means that annotation, not a new one over it.
        const auto current = m_view->currentAnnotation();
        const auto range = m_view->selectedRange();
        if (current && current->start == range.start && current->end == range.end)
            return retypeSelected(type);
        return annotateSelection(type);
    }
    return retypeSelected(type);
}

bool AnnotationEditor::canAnnotate(std::int64_t document, const CodePointRange &range, const QString &type)
{
    if (document == 0 || range.empty()) {
        Q_EMIT message(tr("Select the words to annotate first."));
        return false;
    }
    if (!m_workspace->type(type)) {
        Q_EMIT message(tr("There is no type %1.").arg(type));
        return false;
    }
    return true;
}

bool AnnotationEditor::annotateSelection(const QString &type)
{
    const CodePointRange range = m_view->selectedRange();
    const std::int64_t document = m_view->documentId();
    if (!canAnnotate(document, range, type))
        return false;
    const std::string typeName = toUtf8(type);
    std::vector<AnnotationChange> changes;
    std::optional<Annotation> exact;
    for (const Annotation &a : m_view->annotations()) {
        if (a.start == range.start && a.end == range.end
            && (!exact || (exact->status == AnnotationStatus::Rejected && a.status != AnnotationStatus::Rejected)))
            exact = a;
    }
    if (exact) {
        Annotation after = *exact;
        if (after.type != typeName) {
            after.type = typeName;
            after.entityId = 0; // the entity of the same name under the new type
        }
        after.status = AnnotationStatus::Accepted;
        changes.push_back({exact, after});
    } else {
        for (const Annotation &a : m_view->annotations())
            if (a.status == AnnotationStatus::Suggested && a.start < range.end && range.start < a.end)
                changes.push_back({a, std::nullopt});
        Annotation added;
        added.documentId = document;
        added.start = range.start;
        added.end = range.end;
        added.type = typeName;
        added.origin = Origin::Manual;
        added.status = AnnotationStatus::Accepted;
        // The same words annotated as this type elsewhere in the article
        // name the same entity ("Smith" after "Brad Smith" was linked).
        const QString surface = m_view->textOf(range);
        for (const Annotation &a : m_view->annotations()) {
            if (a.type == typeName && a.status != AnnotationStatus::Rejected && a.entityId != 0
                && m_view->textOf({a.start, a.end}) == surface) {
                added.entityId = a.entityId;
                added.entityName = a.entityName;
                break;
            }
        }
        changes.push_back({std::nullopt, added});
    }
    const QString text = tr("Annotate “%1” as %2").arg(elided(m_view->textOf(range)), type);
    if (!m_workspace->apply(text, std::move(changes)))
        return false;
    // Leave the cursor on the new annotation, so the next key acts on it.
    QTextCursor cursor = m_view->textCursor();
    cursor.setPosition(static_cast<int>(m_view->article()->offsets.utf16Offset(range.end)));
    m_view->setTextCursor(cursor);
    return true;
}

void AnnotationEditor::planOccurrences(const std::vector<Annotation> &existing, const std::vector<Occurrence> &occurrences,
                                       const QString &type, const std::string &entityName, OccurrencePlan &plan) const
{
    const std::string typeName = toUtf8(type);
    std::set<std::int64_t> removed;
    for (const Occurrence &o : occurrences) {
        const Annotation *exact = nullptr;
        bool blocked = false;
        for (const Annotation &a : existing) {
            if (a.end <= o.start || o.end <= a.start)
                continue;
            if (a.start == o.start && a.end == o.end) {
                if (!exact || exact->status == AnnotationStatus::Rejected)
                    exact = &a;
            } else if (a.status != AnnotationStatus::Suggested && a.status != AnnotationStatus::Rejected) {
                blocked = true; // a reviewed annotation overlaps: the analyst decided here already
            }
        }
        if (exact) {
            if (exact->type == typeName && exact->status == AnnotationStatus::Accepted)
                continue;
            Annotation after = *exact;
            if (after.type != typeName) {
                after.type = typeName;
                after.entityId = 0;
                after.entityName = entityName;
            }
            after.status = AnnotationStatus::Accepted;
            plan.changes.push_back({*exact, after});
            continue;
        }
        if (blocked) {
            ++plan.skipped;
            continue;
        }
        for (const Annotation &a : existing) {
            if (a.status == AnnotationStatus::Suggested && a.start < o.end && o.start < a.end && removed.insert(a.id).second)
                plan.changes.push_back({a, std::nullopt});
        }
        Annotation added;
        added.documentId = o.documentId;
        added.start = o.start;
        added.end = o.end;
        added.type = typeName;
        added.entityName = entityName;
        added.origin = Origin::Manual;
        added.status = AnnotationStatus::Accepted;
        plan.changes.push_back({std::nullopt, added});
    }
}

bool AnnotationEditor::annotateAllOccurrences(const QString &type, bool allDocuments)
{
    const CodePointRange range = m_view->selectedRange();
    const std::int64_t document = m_view->documentId();
    if (!canAnnotate(document, range, type))
        return false;
    const QString surface = m_view->textOf(range);
    // The occurrences join the entity of the selected annotation, if the
    // selection is one of this type; otherwise the entity of that name.
    std::string entityName = toUtf8(surface);
    for (const Annotation &a : m_view->annotations())
        if (a.start == range.start && a.end == range.end && a.type == toUtf8(type) && !a.entityName.empty())
            entityName = a.entityName;

    if (!allDocuments) {
        auto found = findOccurrences(m_workspace->store(), toUtf8(surface), document);
        if (!found) {
            Q_EMIT message(toQString(found.message()));
            return false;
        }
        OccurrencePlan plan;
        planOccurrences(m_view->annotations(), *found, type, entityName, plan);
        const int count = static_cast<int>(std::count_if(plan.changes.begin(), plan.changes.end(),
                                                         [](const AnnotationChange &c) { return c.after.has_value(); }));
        if (plan.changes.empty()) {
            Q_EMIT message(tr("Every occurrence of “%1” is already a %2.").arg(elided(surface), type));
            return false;
        }
        const bool ok = m_workspace->apply(tr("Annotate %n occurrence(s) of “%1” as %2", nullptr, count).arg(elided(surface), type),
                                           std::move(plan.changes));
        if (ok)
            Q_EMIT message(plan.skipped ? tr("Annotated %n occurrence(s); %1 overlapped reviewed annotations.", nullptr, count)
                                              .arg(plan.skipped)
                                        : tr("Annotated %n occurrence(s).", nullptr, count));
        return ok;
    }

    Q_EMIT message(tr("Looking for “%1” in every document…").arg(elided(surface)));
    const std::string needle = toUtf8(surface);
    m_workspace->read<std::vector<Occurrence>>(
        this, [needle](Store &store) { return findOccurrences(store, needle, 0); },
        [this, surface, type, entityName](Result<std::vector<Occurrence>> found) {
            if (!found) {
                Q_EMIT message(toQString(found.message()));
                Q_EMIT occurrencesAnnotated(0);
                return;
            }
            std::map<std::int64_t, std::vector<Occurrence>> byDocument;
            for (const Occurrence &o : *found)
                byDocument[o.documentId].push_back(o);
            OccurrencePlan plan;
            for (const auto &[id, occurrences] : byDocument) {
                auto existing = m_workspace->store().annotations(id);
                if (!existing) {
                    Q_EMIT message(toQString(existing.message()));
                    Q_EMIT occurrencesAnnotated(0);
                    return;
                }
                planOccurrences(*existing, occurrences, type, entityName, plan);
            }
            const int count = static_cast<int>(std::count_if(plan.changes.begin(), plan.changes.end(),
                                                             [](const AnnotationChange &c) { return c.after.has_value(); }));
            if (plan.changes.empty()) {
                Q_EMIT message(tr("Every occurrence of “%1” is already a %2.").arg(elided(surface), type));
                Q_EMIT occurrencesAnnotated(0);
                return;
            }
            const auto documents = static_cast<int>(byDocument.size());
            const bool ok = m_workspace->apply(
                tr("Annotate %n occurrence(s) of “%1” as %2 in all documents", nullptr, count).arg(elided(surface), type),
                std::move(plan.changes));
            if (ok)
                Q_EMIT message(tr("Annotated %n occurrence(s)", nullptr, count) + tr(" in %n document(s).", nullptr, documents));
            Q_EMIT occurrencesAnnotated(ok ? count : 0);
        });
    return true;
}

bool AnnotationEditor::retypeSelected(const QString &type)
{
    const std::vector<Annotation> targets = m_view->selectedAnnotations();
    if (targets.empty()) {
        Q_EMIT message(tr("Select words to annotate, or put the cursor on an annotation."));
        return false;
    }
    if (!m_workspace->type(type))
        return false;
    const std::string typeName = toUtf8(type);
    std::vector<AnnotationChange> changes;
    for (const Annotation &a : targets) {
        if (a.type == typeName && a.status == AnnotationStatus::Accepted)
            continue;
        Annotation after = a;
        if (after.type != typeName) {
            after.type = typeName;
            after.entityId = 0;
        }
        after.status = AnnotationStatus::Accepted;
        changes.push_back({a, after});
    }
    if (changes.empty())
        return false;
    return m_workspace->apply(tr("Make %1 a %2").arg(describe(targets), type), std::move(changes));
}

bool AnnotationEditor::review(std::vector<Annotation> targets, AnnotationStatus status, const QString &text, bool advance)
{
    std::vector<AnnotationChange> changes;
    for (const Annotation &a : targets) {
        if (a.status == status)
            continue;
        Annotation after = a;
        after.status = status;
        changes.push_back({a, after});
    }
    if (changes.empty()) {
        Q_EMIT message(status == AnnotationStatus::Accepted ? tr("Nothing to accept here.") : tr("Nothing to reject here."));
        return false;
    }
    if (!m_workspace->apply(text, std::move(changes)))
        return false;
    if (advance && m_advance)
        m_view->selectNextAnnotation(true, true);
    return true;
}

bool AnnotationEditor::acceptSelected()
{
    auto targets = m_view->selectedAnnotations();
    return review(targets, AnnotationStatus::Accepted, tr("Accept %1").arg(describe(targets)), true);
}

bool AnnotationEditor::rejectSelected()
{
    auto targets = m_view->selectedAnnotations();
    return review(targets, AnnotationStatus::Rejected, tr("Reject %1").arg(describe(targets)), true);
}

bool AnnotationEditor::deleteSelected()
{
    const std::vector<Annotation> targets = m_view->selectedAnnotations();
    if (targets.empty()) {
        Q_EMIT message(tr("Put the cursor on an annotation to delete it."));
        return false;
    }
    std::vector<AnnotationChange> changes;
    for (const Annotation &a : targets)
        changes.push_back({a, std::nullopt});
    return m_workspace->apply(tr("Delete %1").arg(describe(targets)), std::move(changes));
}

QStringList AnnotationEditor::entityNamesOfType(const std::string &type) const
{
    QStringList names;
    for (const Annotation &a : m_view->annotations())
        if (a.type == type && !a.entityName.empty())
            names.append(toQString(a.entityName));
    names.removeDuplicates();
    names.sort(Qt::CaseInsensitive);
    return names;
}

bool AnnotationEditor::linkSelected(const QString &givenName)
{
    const std::vector<Annotation> targets = m_view->selectedAnnotations();
    if (targets.empty()) {
        Q_EMIT message(tr("Put the cursor on an annotation to link it."));
        return false;
    }
    QString name = givenName.trimmed();
    if (name.isEmpty()) {
        const auto answer = MessageBox::text(m_dialogParent, tr("Link to Entity"),
                                             tr("Link %1 to the %2 entity named:").arg(describe(targets), toQString(targets.front().type)),
                                             toQString(targets.front().entityName), entityNamesOfType(targets.front().type));
        if (!answer || answer->trimmed().isEmpty())
            return false;
        name = answer->trimmed();
    }
    std::vector<AnnotationChange> changes;
    for (const Annotation &a : targets) {
        if (toQString(a.entityName) == name)
            continue;
        Annotation after = a;
        after.entityId = 0;
        after.entityName = toUtf8(name);
        changes.push_back({a, after});
    }
    if (changes.empty())
        return false;
    return m_workspace->apply(tr("Link %1 to “%2”").arg(describe(targets), name), std::move(changes));
}

bool AnnotationEditor::renameCurrentEntity(const QString &givenName)
{
    const auto current = m_view->currentAnnotation();
    if (!current || current->entityId == 0) {
        Q_EMIT message(tr("Put the cursor on an annotation to rename its entity."));
        return false;
    }
    QString name = givenName.trimmed();
    if (name.isEmpty()) {
        const auto answer = MessageBox::text(m_dialogParent, tr("Rename Entity"),
                                             tr("New name for the %1 “%2” (in every document):")
                                                 .arg(toQString(current->type), toQString(current->entityName)),
                                             toQString(current->entityName));
        if (!answer || answer->trimmed().isEmpty())
            return false;
        name = answer->trimmed();
    }
    return m_workspace->renameEntity(current->entityId, name);
}

bool AnnotationEditor::reviewDocument(AnnotationStatus status)
{
    std::vector<Annotation> suggestions;
    for (const Annotation &a : m_view->annotations())
        if (a.status == AnnotationStatus::Suggested)
            suggestions.push_back(a);
    const int n = static_cast<int>(suggestions.size());
    const QString text = status == AnnotationStatus::Accepted ? tr("Accept %n suggestion(s) in this document", nullptr, n)
                                                              : tr("Reject %n suggestion(s) in this document", nullptr, n);
    return review(std::move(suggestions), status, text, false);
}

bool AnnotationEditor::reviewEntity(std::int64_t entityId, AnnotationStatus status)
{
    auto all = entityAnnotations(m_workspace->store(), entityId);
    if (!all) {
        Q_EMIT message(toQString(all.message()));
        return false;
    }
    std::vector<Annotation> suggestions;
    for (const Annotation &a : *all)
        if (a.status == AnnotationStatus::Suggested)
            suggestions.push_back(a);
    const QString name = all->empty() ? QString() : toQString(all->front().entityName);
    const int n = static_cast<int>(suggestions.size());
    const QString text = status == AnnotationStatus::Accepted ? tr("Accept %n suggestion(s) of “%1”", nullptr, n).arg(name)
                                                              : tr("Reject %n suggestion(s) of “%1”", nullptr, n).arg(name);
    return review(std::move(suggestions), status, text, false);
}

void AnnotationEditor::populateMenu(QMenu *menu)
{
    if (m_view->documentId() == 0)
        return;
    const auto &types = m_workspace->types();
    const CodePointRange range = m_view->selectedRange();
    const auto current = m_view->currentAnnotation();
    const bool selectionIsAnnotation = current && current->start == range.start && current->end == range.end;

    auto typeLabel = [](const EntityType &t) {
        return t.shortcut.empty() ? toQString(t.name) : QStringLiteral("%1\t%2").arg(toQString(t.name), toQString(t.shortcut));
    };

    if (!range.empty() && !selectionIsAnnotation) {
        const QString surface = elided(m_view->textOf(range));
        QMenu *annotate = menu->addMenu(tr("&Annotate “%1” as").arg(surface));
        for (const EntityType &t : types) {
            const QString name = toQString(t.name);
            annotate->addAction(typeLabel(t), this, [this, name] { annotateSelection(name); });
        }
        QMenu *all = menu->addMenu(tr("Annotate All &Occurrences in This Document as"));
        for (const EntityType &t : types) {
            const QString name = toQString(t.name);
            all->addAction(toQString(t.name), this, [this, name] { annotateAllOccurrences(name, false); });
        }
        QMenu *everywhere = menu->addMenu(tr("Annotate All Occurrences in &Every Document as"));
        for (const EntityType &t : types) {
            const QString name = toQString(t.name);
            everywhere->addAction(toQString(t.name), this, [this, name] { annotateAllOccurrences(name, true); });
        }
    }

    if (current) {
        if (!menu->isEmpty())
            menu->addSeparator();
        QAction *title = menu->addAction(QStringLiteral("%1 · %2").arg(toQString(current->type), toQString(current->entityName)));
        title->setEnabled(false);
        if (current->status != AnnotationStatus::Accepted)
            menu->addAction(tr("A&ccept\tReturn"), this, &AnnotationEditor::acceptSelected);
        if (current->status != AnnotationStatus::Rejected)
            menu->addAction(tr("&Reject\tBackspace"), this, &AnnotationEditor::rejectSelected);
        QMenu *retype = menu->addMenu(tr("Change &Type"));
        for (const EntityType &t : types) {
            const QString name = toQString(t.name);
            QAction *action = retype->addAction(typeLabel(t), this, [this, name] { retypeSelected(name); });
            action->setCheckable(true);
            action->setChecked(t.name == current->type);
        }
        menu->addAction(tr("&Link to Entity…"), this, [this] { linkSelected(); });
        menu->addAction(tr("Re&name Entity “%1”…").arg(elided(toQString(current->entityName))), this,
                        [this] { renameCurrentEntity(); });
        menu->addAction(tr("&Delete Annotation\tDel"), this, &AnnotationEditor::deleteSelected);
        if (current->entityId != 0) {
            menu->addSeparator();
            const std::int64_t entity = current->entityId;
            const QString name = elided(toQString(current->entityName));
            menu->addAction(tr("Accept All Suggestions of “%1”").arg(name), this,
                            [this, entity] { reviewEntity(entity, AnnotationStatus::Accepted); });
            menu->addAction(tr("Reject All Suggestions of “%1”").arg(name), this,
                            [this, entity] { reviewEntity(entity, AnnotationStatus::Rejected); });
        }
    }

    const bool anySuggestion = std::any_of(m_view->annotations().begin(), m_view->annotations().end(),
                                           [](const Annotation &a) { return a.status == AnnotationStatus::Suggested; });
    if (anySuggestion) {
        menu->addSeparator();
        menu->addAction(tr("Accept All Suggestions in This Document"), this,
                        [this] { reviewDocument(AnnotationStatus::Accepted); });
        menu->addAction(tr("Reject All Suggestions in This Document"), this,
                        [this] { reviewDocument(AnnotationStatus::Rejected); });
    }
}

} // namespace lede::ui
