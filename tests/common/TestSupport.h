#pragma once

#include <QString>
#include <QStringList>

namespace gwanje::test {

// Makes every warning that a test did not announce with QTest::ignoreMessage() fail the test.
// Call from initTestCase() or init().
void failOnUnexpectedWarnings();

// Copies a directory tree (the shipped data set, say) so a test can change it.
bool copyTree(const QString &from, const QString &to);

// Reads a whole file; empty on failure.
QByteArray readFile(const QString &path);
bool writeFile(const QString &path, const QByteArray &contents);

} // namespace gwanje::test
