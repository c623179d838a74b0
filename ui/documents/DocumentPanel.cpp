#include "ui/documents/DocumentPanel.h"

#include "ui/documents/DocumentListModel.h"
#include "ui/app/Workspace.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace lede::ui {

DocumentPanel::DocumentPanel(Workspace *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_model(new DocumentListModel(workspace, this))
    , m_filter(new QLineEdit(this))
    , m_banner(new QWidget(this))
    , m_bannerText(new QLabel(m_banner))
    , m_table(new QTableView(this))
{
    m_filter->setPlaceholderText(tr("Filter by title or source"));
    m_filter->setClearButtonEnabled(true);

    auto *clearEntity = new QToolButton(m_banner);
    clearEntity->setText(tr("Show all"));
    clearEntity->setAutoRaise(true);
    auto *bannerLayout = new QHBoxLayout(m_banner);
    bannerLayout->setContentsMargins(4, 2, 2, 2);
    bannerLayout->addWidget(m_bannerText, 1);
    bannerLayout->addWidget(clearEntity);
    m_banner->setBackgroundRole(QPalette::AlternateBase);
    m_banner->setAutoFillBackground(true);
    m_banner->setVisible(false);
    m_bannerText->setWordWrap(true);

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    // No indicator at first: the list is in import order until a header
    // is clicked; a third click on a header returns to it.
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_table->horizontalHeader()->setSortIndicatorClearable(true);
    m_table->setSortingEnabled(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->setFrameShape(QFrame::NoFrame);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(m_filter);
    layout->addWidget(m_banner);
    layout->addWidget(m_table, 1);

    // Typing narrows the list after a short pause, not at every key.
    auto *filterDelay = new QTimer(this);
    filterDelay->setSingleShot(true);
    filterDelay->setInterval(200);
    connect(m_filter, &QLineEdit::textChanged, filterDelay, qOverload<>(&QTimer::start));
    connect(filterDelay, &QTimer::timeout, this, [this] { m_model->setFilterText(m_filter->text()); });
    connect(clearEntity, &QToolButton::clicked, this, [this] {
        m_model->setEntityFilter(0);
        updateBanner();
    });

    auto sizeColumns = [this] {
        QHeaderView *header = m_table->horizontalHeader();
        const int count = m_model->columnCount();
        if (count == 0)
            return;
        for (int c = 0; c < count; ++c)
            m_table->setColumnHidden(c, false);
        header->setSectionResizeMode(DocumentListModel::kTitleColumn, QHeaderView::Stretch);
        const int narrow = m_table->fontMetrics().horizontalAdvance(QStringLiteral("000")) + 28;
        for (int c = 1; c < count; ++c) {
            header->setSectionResizeMode(c, QHeaderView::Interactive);
            header->resizeSection(c, narrow);
        }
        header->resizeSection(m_model->reviewColumn(), m_table->fontMetrics().horizontalAdvance(tr("Review")) + 16);
        header->resizeSection(m_model->importedColumn(), m_table->fontMetrics().horizontalAdvance(QStringLiteral("0000-00-00 00:00")) + 16);
        header->resizeSection(m_model->sourceColumn(), 160);
        m_table->setColumnHidden(m_model->importedColumn(), true);
        m_table->setColumnHidden(m_model->sourceColumn(), true);
    };
    connect(m_model, &QAbstractItemModel::modelReset, this, sizeColumns);
    sizeColumns();
    // The date and the source are there when wanted (header menu) but
    // leave the room to the title by default.
    m_table->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table->horizontalHeader(), &QHeaderView::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(this);
        for (int c = 1; c < m_model->columnCount(); ++c) {
            QAction *a = menu.addAction(m_model->headerData(c, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty()
                                            ? m_model->headerData(c, Qt::Horizontal).toString()
                                            : m_model->headerData(c, Qt::Horizontal, Qt::ToolTipRole).toString());
            a->setCheckable(true);
            a->setChecked(!m_table->isColumnHidden(c));
            connect(a, &QAction::toggled, this, [this, c](bool on) { m_table->setColumnHidden(c, !on); });
        }
        menu.exec(m_table->horizontalHeader()->mapToGlobal(pos));
    });

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        const std::int64_t id = current.isValid() ? m_model->documentId(current.row()) : 0;
        if (id == m_current)
            return;
        m_current = id;
        Q_EMIT currentDocumentChanged(id);
    });
    connect(m_table, &QTableView::activated, this,
            [this](const QModelIndex &index) { Q_EMIT documentActivated(m_model->documentId(index.row())); });
    connect(workspace, &Workspace::storeOpened, this, [this] {
        m_current = 0;
        m_filter->clear();
        updateBanner();
    });
    // After a reload (sort, filter, import) keep the same document current.
    connect(m_model, &DocumentListModel::listReloaded, this, [this] {
        if (m_current != 0 && m_model->rowOf(m_current) >= 0) {
            selectDocument(m_current);
        } else if (m_current != 0 && !m_table->currentIndex().isValid()) {
            m_current = 0;
        }
        updateBanner();
    });
}

std::int64_t DocumentPanel::currentDocument() const { return m_current; }

void DocumentPanel::selectDocument(std::int64_t id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return;
    const QModelIndex index = m_model->index(row, DocumentListModel::kTitleColumn);
    if (m_table->currentIndex().row() != row) {
        m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    m_table->scrollTo(index);
}

std::vector<std::int64_t> DocumentPanel::selectedDocuments() const
{
    std::vector<std::int64_t> ids;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        ids.push_back(m_model->documentId(index.row()));
    return ids;
}

void DocumentPanel::showDocumentsMentioning(std::int64_t entityId, const QString &name)
{
    m_model->setEntityFilter(entityId, name);
    updateBanner();
}

void DocumentPanel::updateBanner()
{
    const bool narrowed = m_model->entityFilter() != 0;
    m_banner->setVisible(narrowed);
    if (narrowed)
        m_bannerText->setText(tr("%n document(s) mentioning <b>%1</b>", nullptr, m_model->rowCount())
                                  .arg(m_model->entityFilterName().toHtmlEscaped()));
}

} // namespace lede::ui
