#include "ui/search/SearchPanel.h"

#include "core/search/Search.h"
#include "core/store/Store.h"
#include "ui/base/QtText.h"
#include "ui/search/SearchResultDelegate.h"
#include "ui/search/SearchResultModel.h"
#include "ui/app/Workspace.h"

#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QVBoxLayout>

namespace lede::ui {

SearchPanel::SearchPanel(Workspace *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_model(new SearchResultModel(this))
    , m_status(new QLabel(this))
    , m_list(new QListView(this))
{
    m_status->setWordWrap(true);
    m_status->setForegroundRole(QPalette::PlaceholderText);
    m_status->setText(tr("Search all documents from the field above: words, \"exact phrases\", prefix*, "
                         "AND, OR, NOT, and filters such as type:ATTACK or entity:\"Sandworm\"."));
    m_list->setModel(m_model);
    m_list->setItemDelegate(new SearchResultDelegate(m_list));
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_list->setUniformItemSizes(false);
    m_list->setWordWrap(true);
    m_list->setResizeMode(QListView::Adjust);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 0, 0);
    layout->addWidget(m_status);
    layout->addWidget(m_list, 1);

    connect(m_list, &QListView::activated, this, [this](const QModelIndex &index) { openResult(index.row()); });
    connect(m_list, &QListView::clicked, this, [this](const QModelIndex &index) { openResult(index.row()); });
    connect(workspace, &Workspace::storeOpened, this, [this] {
        m_model->clear();
        m_query.clear();
    });
}

std::vector<std::int64_t> SearchPanel::resultDocuments() const { return m_model->documentIds(); }

void SearchPanel::search(const QString &query)
{
    m_query = query.trimmed();
    const int generation = ++m_generation;
    if (m_query.isEmpty() || !m_workspace->isOpen()) {
        m_model->clear();
        m_status->clear();
        Q_EMIT searchFinished(0);
        return;
    }
    m_status->setText(tr("Searching…"));
    const std::string text = toUtf8(m_query);
    m_workspace->read<SearchResults>(
        this,
        [text](Store &store) {
            Search search(store);
            SearchOptions options;
            options.limit = kMaxResults;
            options.snippetLength = 180;
            return search.search(text, options);
        },
        [this, generation](Result<SearchResults> results) {
            if (generation != m_generation)
                return;
            if (!results) {
                m_model->clear();
                m_status->setText(toQString(results.message()));
                Q_EMIT searchFinished(0);
                return;
            }
            m_model->setResults(*results);
            const QLocale locale;
            QString status = results->total == 0 ? tr("No document matches.")
                : results->total > static_cast<std::int64_t>(results->hits.size())
                    ? tr("%1 documents match; the best %2 are shown.")
                          .arg(locale.toString(static_cast<qlonglong>(results->total)))
                          .arg(results->hits.size())
                    : tr("%Ln document(s) match.", nullptr, static_cast<int>(results->total));
            for (const std::string &note : results->notes)
                status += QLatin1Char(' ') + toQString(note);
            m_status->setText(status);
            Q_EMIT searchFinished(results->total);
        });
}

void SearchPanel::openResult(int row)
{
    const SearchResultModel::Hit *hit = m_model->hit(row);
    if (hit)
        Q_EMIT resultOpened(hit->documentId, hit->matches);
}

} // namespace lede::ui
