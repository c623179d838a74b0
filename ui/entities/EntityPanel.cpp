#include "ui/entities/EntityPanel.h"

#include "core/search/Search.h"
#include "core/store/Store.h"
#include "ui/article/AnnotationEditor.h"
#include "ui/article/ArticlePane.h"
#include "ui/article/ArticleView.h"
#include "ui/entities/EntityModel.h"
#include "ui/dialogs/MessageBox.h"
#include "ui/base/QtText.h"
#include "ui/app/Workspace.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace lede::ui {

namespace {

// Entities of each type the corpus view lists, most documents first.
constexpr std::size_t kCorpusEntitiesPerType = 500;

} // namespace

EntityPanel::EntityPanel(Workspace *workspace, ArticlePane *article, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_article(article)
    , m_model(new EntityModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_documentScope(new QToolButton(this))
    , m_corpusScope(new QToolButton(this))
    , m_filter(new QLineEdit(this))
    , m_tree(new QTreeView(this))
    , m_corpusDelay(new QTimer(this))
{
    m_documentScope->setText(tr("This article"));
    m_corpusScope->setText(tr("All documents"));
    for (QToolButton *b : {m_documentScope, m_corpusScope}) {
        b->setCheckable(true);
        b->setAutoRaise(true);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    }
    auto *group = new QButtonGroup(this);
    group->addButton(m_documentScope);
    group->addButton(m_corpusScope);
    m_documentScope->setChecked(true);

    m_filter->setPlaceholderText(tr("Filter entities"));
    m_filter->setClearButtonEnabled(true);

    m_proxy->setSourceModel(m_model);
    m_proxy->setRecursiveFilteringEnabled(true);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(EntityModel::NameColumn);
    m_tree->setModel(m_proxy);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(false);
    m_tree->setFrameShape(QFrame::NoFrame);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->setExpandsOnDoubleClick(false);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(EntityModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(EntityModel::MentionsColumn, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(EntityModel::DocumentsColumn, QHeaderView::ResizeToContents);
    m_tree->setColumnHidden(EntityModel::DocumentsColumn, true);

    auto *heading = new QLabel(tr("Entities"), this);
    QFont headingFont = heading->font();
    headingFont.setWeight(QFont::DemiBold);
    heading->setFont(headingFont);
    auto *scopeRow = new QHBoxLayout;
    scopeRow->setContentsMargins(0, 0, 0, 0);
    scopeRow->setSpacing(2);
    scopeRow->addWidget(heading);
    scopeRow->addStretch(1);
    scopeRow->addWidget(m_documentScope);
    scopeRow->addWidget(m_corpusScope);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->setSpacing(6);
    layout->addLayout(scopeRow);
    layout->addWidget(m_filter);
    layout->addWidget(m_tree, 1);

    m_corpusDelay->setSingleShot(true);
    m_corpusDelay->setInterval(400);
    connect(m_corpusDelay, &QTimer::timeout, this, &EntityPanel::refreshCorpus);

    connect(m_documentScope, &QToolButton::clicked, this, [this] { setScope(Scope::Document); });
    connect(m_corpusScope, &QToolButton::clicked, this, [this] { setScope(Scope::Corpus); });
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterFixedString(text);
        m_tree->expandAll();
    });
    connect(m_tree, &QTreeView::clicked, this, &EntityPanel::activate);
    connect(m_tree, &QTreeView::activated, this, &EntityPanel::activate);
    connect(m_tree, &QTreeView::customContextMenuRequested, this, &EntityPanel::showMenu);
    connect(m_model, &QAbstractItemModel::modelReset, m_tree, &QTreeView::expandAll);

    connect(article, &ArticlePane::documentShown, this, [this] {
        if (m_scope == Scope::Document)
            refreshDocument();
    });
    connect(workspace, &Workspace::annotationsChanged, this, [this] {
        // The article pane reloads its annotations on the same signal; it
        // was connected first, so they are current here.
        if (m_scope == Scope::Document)
            refreshDocument();
        else
            m_corpusDelay->start();
    });
    connect(workspace, &Workspace::documentsChanged, this, [this] {
        if (m_scope == Scope::Corpus)
            m_corpusDelay->start();
    });
    connect(workspace, &Workspace::typesChanged, this, [this] { m_model->setTypes(m_workspace->types()); });
    connect(workspace, &Workspace::storeOpened, this, [this] {
        m_model->clear();
        if (m_scope == Scope::Corpus)
            refreshCorpus();
    });
    m_model->setTypes(workspace->types());
}

void EntityPanel::setScope(Scope scope)
{
    m_scope = scope;
    m_documentScope->setChecked(scope == Scope::Document);
    m_corpusScope->setChecked(scope == Scope::Corpus);
    m_tree->setColumnHidden(EntityModel::DocumentsColumn, scope == Scope::Document);
    if (scope == Scope::Document)
        refreshDocument();
    else
        refreshCorpus();
}

void EntityPanel::refreshDocument()
{
    ++m_generation; // a corpus answer still on its way is no longer wanted
    m_model->setDocumentAnnotations(m_article->view()->annotations());
}

void EntityPanel::refreshCorpus()
{
    if (!m_workspace->isOpen())
        return;
    const int generation = ++m_generation;
    std::vector<std::string> types;
    for (const EntityType &t : m_workspace->types())
        types.push_back(t.name);
    m_workspace->read<std::vector<EntityModel::CorpusEntity>>(
        this,
        [types](Store &store) -> Result<std::vector<EntityModel::CorpusEntity>> {
            // Search keeps per-entity counts up to date in the store, so a
            // type's busiest entities are an index range, not a scan of
            // every annotation.
            Search search(store);
            std::vector<EntityModel::CorpusEntity> out;
            for (const std::string &type : types) {
                EntityListOptions options;
                options.type = type;
                options.limit = kCorpusEntitiesPerType;
                LEDE_TRY_ASSIGN(auto entities, search.entities(options));
                for (const EntityCount &e : entities)
                    out.push_back({e.id, e.name, e.type, e.documents, e.mentions});
            }
            return out;
        },
        [this, generation](Result<std::vector<EntityModel::CorpusEntity>> entities) {
            if (generation != m_generation || m_scope != Scope::Corpus)
                return;
            if (entities)
                m_model->setCorpusEntities(*entities);
            Q_EMIT corpusLoaded();
        });
}

bool EntityPanel::walkMentions(std::int64_t entityId)
{
    ArticleView *view = m_article->view();
    std::vector<Annotation> mentions;
    for (const Annotation &a : view->annotations())
        if (a.entityId == entityId && a.status != AnnotationStatus::Rejected)
            mentions.push_back(a);
    if (mentions.empty())
        return false;
    // The next mention after the selection, else the first again.
    const QTextCursor cursor = view->textCursor();
    const std::int64_t after = view->article()->offsets.codePointOffset(cursor.hasSelection() ? cursor.selectionStart() : cursor.position());
    const Annotation *next = &mentions.front();
    for (const Annotation &a : mentions) {
        if (a.start > after || (!cursor.hasSelection() && a.start == after)) {
            next = &a;
            break;
        }
    }
    view->selectRange({next->start, next->end});
    return true;
}

void EntityPanel::activate(const QModelIndex &proxyIndex)
{
    const QModelIndex index = m_proxy->mapToSource(proxyIndex);
    if (!index.isValid() || index.data(EntityModel::IsTypeRole).toBool())
        return;
    const auto entity = index.data(EntityModel::EntityIdRole).value<qint64>();
    const QString name = index.sibling(index.row(), EntityModel::NameColumn).data().toString();
    if (m_scope == Scope::Document)
        walkMentions(entity);
    else
        Q_EMIT documentsMentioningRequested(entity, name);
}

void EntityPanel::showMenu(const QPoint &pos)
{
    const QModelIndex index = m_proxy->mapToSource(m_tree->indexAt(pos));
    if (!index.isValid() || index.data(EntityModel::IsTypeRole).toBool())
        return;
    const auto entity = index.data(EntityModel::EntityIdRole).value<qint64>();
    const QString name = index.sibling(index.row(), EntityModel::NameColumn).data().toString();
    AnnotationEditor *editor = m_article->editor();
    QMenu menu(this);
    if (m_scope == Scope::Document)
        menu.addAction(tr("Next Mention"), this, [this, entity] { walkMentions(entity); });
    menu.addAction(tr("Documents Mentioning “%1”").arg(name), this,
                   [this, entity, name] { Q_EMIT documentsMentioningRequested(entity, name); });
    menu.addSeparator();
    menu.addAction(tr("Accept All Suggestions of “%1”").arg(name), this,
                   [editor, entity] { editor->reviewEntity(entity, AnnotationStatus::Accepted); });
    menu.addAction(tr("Reject All Suggestions of “%1”").arg(name), this,
                   [editor, entity] { editor->reviewEntity(entity, AnnotationStatus::Rejected); });
    menu.addSeparator();
    menu.addAction(tr("Rename “%1”…").arg(name), this, [this, entity, name] {
        const auto answer = MessageBox::text(this, tr("Rename Entity"), tr("New name for “%1” (in every document):").arg(name), name);
        if (answer && !answer->trimmed().isEmpty())
            m_workspace->renameEntity(entity, *answer);
    });
    menu.exec(m_tree->viewport()->mapToGlobal(pos));
}

} // namespace lede::ui
