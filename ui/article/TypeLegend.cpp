#include "ui/article/TypeLegend.h"

#include "ui/article/ArticleView.h"
#include "ui/base/QtText.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

namespace lede::ui {

namespace {

constexpr int kSpacing = 6;
constexpr int kPadding = 8;
constexpr int kKeyGap = 6;

} // namespace

TypeLegend::TypeLegend(QWidget *parent)
    : QWidget(parent)
{
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    setMouseTracking(true);
}

void TypeLegend::setTypes(const std::vector<EntityType> &types)
{
    m_types = types;
    setMinimumHeight(heightForWidth(width()));
    updateGeometry();
    update();
}

void TypeLegend::setHiddenTypes(const QSet<QString> &hidden)
{
    if (hidden == m_hidden)
        return;
    m_hidden = hidden;
    update();
    Q_EMIT hiddenTypesChanged(m_hidden);
}

int TypeLegend::chipWidth(const Chip &chip) const
{
    const QFontMetrics fm = fontMetrics();
    int w = 2 * kPadding + fm.horizontalAdvance(chip.label);
    if (!chip.key.isEmpty())
        w += kKeyGap + fm.horizontalAdvance(chip.key) + 8;
    return w;
}

std::vector<TypeLegend::Chip> TypeLegend::layoutChips(int width, int *height) const
{
    std::vector<Chip> chips;
    for (const EntityType &t : m_types)
        chips.push_back({toQString(t.name), toQString(t.name), toQString(t.shortcut), {}});
    chips.push_back({QString(), tr("accepted"), QString(), {}});
    chips.push_back({QString(), tr("suggested"), QString(), {}});

    const int chipHeight = fontMetrics().height() + 8;
    int x = 0;
    int y = 0;
    for (std::size_t i = 0; i < chips.size(); ++i) {
        Chip &chip = chips[i];
        const int w = chipWidth(chip);
        // A gap sets the two samples apart from the types.
        const int gap = (chip.type.isEmpty() && i > 0 && !chips[i - 1].type.isEmpty()) ? 3 * kSpacing : 0;
        if (x > 0 && x + gap + w > width) {
            x = 0;
            y += chipHeight + kSpacing;
        } else {
            x += gap;
        }
        chip.rect = QRect(x, y, w, chipHeight);
        x += w + kSpacing;
    }
    if (height)
        *height = y + chipHeight;
    return chips;
}

QSize TypeLegend::sizeHint() const
{
    int h = 0;
    const auto chips = layoutChips(100000, &h);
    return {chips.empty() ? 0 : chips.back().rect.right() + 1, h};
}

QSize TypeLegend::minimumSizeHint() const { return {100, fontMetrics().height() + 8}; }

int TypeLegend::heightForWidth(int width) const
{
    int h = 0;
    layoutChips(width, &h);
    return h;
}

int TypeLegend::chipIndexAt(const QPoint &pos) const
{
    const auto chips = layoutChips(width());
    for (std::size_t i = 0; i < chips.size(); ++i)
        if (chips[i].rect.contains(pos))
            return static_cast<int>(i);
    return -1;
}

void TypeLegend::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor base = palette().color(QPalette::Base);
    const QColor text = palette().color(QPalette::Text);
    const QColor dim = palette().color(QPalette::PlaceholderText);
    const QFontMetrics fm = fontMetrics();
    const QColor sampleColor = palette().color(QPalette::Highlight);

    const auto chips = layoutChips(width());
    for (std::size_t i = 0; i < chips.size(); ++i) {
        const Chip &chip = chips[i];
        const QRectF r = QRectF(chip.rect).adjusted(0.5, 0.5, -0.5, -0.5);
        QColor color = sampleColor;
        for (const EntityType &t : m_types)
            if (toQString(t.name) == chip.type)
                color = QColor(toQString(t.color));
        const bool hidden = !chip.type.isEmpty() && m_hidden.contains(chip.type);
        const bool suggestedSample = i + 1 == chips.size();

        QPainterPath path;
        path.addRoundedRect(r, 4, 4);
        if (hidden) {
            p.setPen(QPen(dim, 1, Qt::DashLine));
            p.setBrush(Qt::NoBrush);
        } else {
            p.setPen(Qt::NoPen);
            p.setBrush(ArticleView::highlightColor(color, base,
                                                   suggestedSample ? AnnotationStatus::Suggested : AnnotationStatus::Accepted));
        }
        p.drawPath(path);

        int x = chip.rect.left() + kPadding;
        const int baseline = chip.rect.top() + (chip.rect.height() + fm.ascent() - fm.descent()) / 2;
        p.setPen(hidden ? dim : text);
        p.drawText(x, baseline, chip.label);
        if (suggestedSample) {
            p.setPen(QPen(color, 1, Qt::DashLine));
            p.drawLine(x, baseline + 2, x + fm.horizontalAdvance(chip.label), baseline + 2);
        }
        x += fm.horizontalAdvance(chip.label);
        if (!chip.key.isEmpty()) {
            x += kKeyGap;
            const QRect keyRect(x, chip.rect.top() + 3, fm.horizontalAdvance(chip.key) + 8, chip.rect.height() - 6);
            p.setPen(QPen(hidden ? dim : color.darker(base.lightnessF() < 0.5 ? 60 : 120), 1));
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(QRectF(keyRect).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
            p.setPen(hidden ? dim : text);
            p.drawText(keyRect, Qt::AlignCenter, chip.key);
        }
    }
}

void TypeLegend::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // Layouts do not pass height-for-width through every nesting; ask for
    // the rows the chips need at this width directly.
    const int h = heightForWidth(width());
    if (minimumHeight() != h)
        setMinimumHeight(h);
}

void TypeLegend::mousePressEvent(QMouseEvent *event)
{
    const int i = chipIndexAt(event->position().toPoint());
    const auto chips = layoutChips(width());
    if (i < 0 || chips[static_cast<std::size_t>(i)].type.isEmpty())
        return;
    QSet<QString> hidden = m_hidden;
    const QString type = chips[static_cast<std::size_t>(i)].type;
    if (hidden.contains(type))
        hidden.remove(type);
    else
        hidden.insert(type);
    setHiddenTypes(hidden);
}

bool TypeLegend::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int i = chipIndexAt(help->pos());
        if (i < 0) {
            QToolTip::hideText();
            return true;
        }
        const Chip chip = layoutChips(width())[static_cast<std::size_t>(i)];
        QString tip;
        if (chip.type.isEmpty())
            tip = chip.label == tr("suggested") ? tr("Suggestions from the tagger, not reviewed yet: lighter, with a dashed underline")
                                                : tr("Annotations made or accepted by an analyst");
        else if (chip.key.isEmpty())
            tip = tr("%1. Click to hide or show its highlights.").arg(chip.type);
        else
            tip = tr("%1: select words and press %2. Click to hide or show its highlights.").arg(chip.type, chip.key);
        QToolTip::showText(help->globalPos(), tip, this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace lede::ui
