#pragma once

#include <QWidget>

#include <cstdint>
#include <vector>

class QLabel;
class QLineEdit;
class QTableView;
class QToolButton;

namespace lede::ui {

class DocumentListModel;
class Workspace;

/// The list of documents with a filter field, and a banner when the list
/// is narrowed to the documents mentioning one entity.
class DocumentPanel : public QWidget {
    Q_OBJECT

public:
    explicit DocumentPanel(Workspace *workspace, QWidget *parent = nullptr);

    DocumentListModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QLineEdit *filterEdit() const { return m_filter; }

    std::int64_t currentDocument() const;
    /// Makes a document current (and visible) if it is listed.
    void selectDocument(std::int64_t id);
    std::vector<std::int64_t> selectedDocuments() const;
    /// Narrows the list to the documents mentioning an entity.
    void showDocumentsMentioning(std::int64_t entityId, const QString &name);

Q_SIGNALS:
    /// The current document changed (by mouse, keyboard or program).
    void currentDocumentChanged(qint64 id);
    /// Return or double click: open the document for work.
    void documentActivated(qint64 id);

private:
    void updateBanner();

    Workspace *m_workspace;
    DocumentListModel *m_model;
    QLineEdit *m_filter;
    QWidget *m_banner;
    QLabel *m_bannerText;
    QTableView *m_table;
    std::int64_t m_current = 0;
};

} // namespace lede::ui
