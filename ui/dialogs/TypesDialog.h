#pragma once

#include <QColor>
#include <QDialog>

#include <functional>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace lede::ui {

class TypeListModel;
class Workspace;

/// The entity types of the store: add a type with its colour and key,
/// change colours and keys. Every change is written at once.
class TypesDialog : public QDialog {
    Q_OBJECT

public:
    explicit TypesDialog(Workspace *workspace, QWidget *parent = nullptr);

    /// Test hook: picks colours instead of a QColorDialog. It gets the
    /// current colour and returns the new one (invalid: cancelled).
    static void setColorPicker(std::function<QColor(const QColor &)> picker);

    /// Adds a type; false with the reason shown when the store refuses.
    bool addType(const QString &name, const QColor &color, const QString &key);
    /// Asks for a new colour of the type in `row` and stores it.
    bool changeColor(int row);

    TypeListModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }

private:
    QColor pickColor(const QColor &current);
    void updateColorButton();

    Workspace *m_workspace;
    TypeListModel *m_model;
    QTableView *m_table;
    QLineEdit *m_name;
    QLineEdit *m_key;
    QPushButton *m_color;
    QColor m_newColor;
    QLabel *m_error;
};

} // namespace lede::ui
