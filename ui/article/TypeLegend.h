#pragma once

#include "core/store/Domain.h"

#include <QRect>
#include <QSet>
#include <QString>
#include <QWidget>

#include <vector>

namespace lede::ui {

/// The key to the highlights: one chip per entity type in its colour with
/// its shortcut key, and how suggestions look beside reviewed annotations.
/// Clicking a chip hides or shows that type's highlights.
class TypeLegend : public QWidget {
    Q_OBJECT

public:
    explicit TypeLegend(QWidget *parent = nullptr);

    void setTypes(const std::vector<EntityType> &types);
    const QSet<QString> &hiddenTypes() const { return m_hidden; }
    void setHiddenTypes(const QSet<QString> &hidden);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

Q_SIGNALS:
    void hiddenTypesChanged(const QSet<QString> &hidden);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool event(QEvent *event) override;

private:
    struct Chip {
        QString type; // empty for the two samples at the end
        QString label;
        QString key;
        QRect rect;
    };
    std::vector<Chip> layoutChips(int width, int *height = nullptr) const;
    int chipWidth(const Chip &chip) const;
    int chipIndexAt(const QPoint &pos) const;

    std::vector<EntityType> m_types;
    QSet<QString> m_hidden;
};

} // namespace lede::ui
