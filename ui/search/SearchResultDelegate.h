#pragma once

#include <QStyledItemDelegate>

namespace lede::ui {

/// Draws a search hit as its title over a two-line snippet, with the
/// matching words marked.
class SearchResultDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    static constexpr int kPadding = 8;
};

} // namespace lede::ui
