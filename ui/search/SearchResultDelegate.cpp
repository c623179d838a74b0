#include "ui/search/SearchResultDelegate.h"

#include "ui/search/SearchResultModel.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QPainter>
#include <QTextDocument>

namespace lede::ui {

namespace {

// The hit as a small rich-text document: the title, then the snippet in
// the secondary text colour; marks get a find-highlight background.
void fill(QTextDocument &doc, const QStyleOptionViewItem &option, const QModelIndex &index, int width)
{
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette &palette = option.palette;
    const QColor text = palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    const QColor dim = selected ? text : palette.color(QPalette::PlaceholderText);
    const bool dark = palette.color(QPalette::Base).lightnessF() < 0.5;
    const QString mark = selected ? QStringLiteral("font-weight:600;")
                                  : QStringLiteral("background-color:%1;font-weight:600;").arg(dark ? QStringLiteral("#6b5800")
                                                                                                    : QStringLiteral("#ffe58a"));
    QString snippet = index.data(SearchResultModel::SnippetHtmlRole).toString();
    QString title = index.data(SearchResultModel::TitleHtmlRole).toString();
    snippet.replace(QStringLiteral("<b>"), QStringLiteral("<span style='%1'>").arg(mark));
    snippet.replace(QStringLiteral("</b>"), QStringLiteral("</span>"));
    title.replace(QStringLiteral("<b>"), QStringLiteral("<span style='%1'>").arg(mark));
    title.replace(QStringLiteral("</b>"), QStringLiteral("</span>"));
    doc.setDefaultFont(option.font);
    doc.setDocumentMargin(0);
    doc.setTextWidth(width);
    doc.setHtml(QStringLiteral("<div style='color:%1;font-weight:600'>%2</div><div style='color:%3'>%4</div>")
                    .arg(text.name(), title, dim.name(), snippet));
}

} // namespace

void SearchResultDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    QTextDocument doc;
    fill(doc, option, index, option.rect.width() - 2 * kPadding);
    painter->save();
    painter->translate(option.rect.topLeft() + QPoint(kPadding, kPadding / 2 + 2));
    painter->setClipRect(QRect(0, 0, option.rect.width() - 2 * kPadding, option.rect.height() - kPadding));
    doc.drawContents(painter);
    painter->restore();
    if (!(option.state & QStyle::State_Selected)) {
        painter->save();
        painter->setPen(option.palette.color(QPalette::Midlight));
        painter->drawLine(option.rect.bottomLeft() + QPoint(kPadding, 0), option.rect.bottomRight() - QPoint(kPadding, 0));
        painter->restore();
    }
}

QSize SearchResultDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const int width = option.rect.width() > 0 ? option.rect.width() : 320;
    QTextDocument doc;
    fill(doc, option, index, width - 2 * kPadding);
    return {width, static_cast<int>(doc.size().height()) + kPadding + 4};
}

} // namespace lede::ui
