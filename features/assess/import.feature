Feature: Importing a filled worksheet
  A worksheet exported to XLSX or CSV is filled in a spreadsheet and read
  back in one transaction. Bad rows are all reported by row number and
  criterion, and nothing is written. A row that would change a stored
  answer the file did not start from is a conflict: stop, skip or update.

  Background:
    Given round "2024" is open with "ani" assigned areas "MP" of "DINKES"
    And "ani" has saved "MP.1.a" of "DINKES" as "A" twice, now at version 2

  Scenario Outline: Export then import without edits changes nothing
    When "ani" exports the worksheet of "DINKES" as "<format>" and imports it unchanged
    Then no answer changed and no audit event was written

    Examples:
      | format |
      | xlsx   |
      | csv    |

  Scenario Outline: A conflicting row under each policy
    Given a CSV file for "DINKES" with rows:
      | criterion | answer | version |
      | MP.1.a    | B      | 1       |
      | MP.1.b    | C      |         |
    When "ani" imports the file into "DINKES" with --on-conflict <policy>
    Then the import <outcome>
    And the stored answer of "ani" to "MP.1.a" is "<mp1a>"
    And the stored answer of "ani" to "MP.1.b" is "<mp1b>"

    Examples:
      | policy | outcome                 | mp1a | mp1b |
      | stop   | fails with exit code 4  | A    | none |
      | skip   | succeeds                | A    | C    |
      | update | succeeds                | B    | C    |

  Scenario: A file with bad rows is refused as a whole
    Given a CSV file for "DINKES" with rows:
      | criterion | answer | version |
      | MP.1.b    | A      |         |
      | MP.7.x    | A      |         |
      | MP.1.c    | Ya     |         |
      | MP.1.b    | B      |         |
      | PPU.1.a   | A      |         |
    When "ani" imports the file into "DINKES" with --on-conflict update
    Then the import fails with exit code 1 listing:
      | problem                                                                  |
      | baris 3: MP.7.x: kriteria tidak dikenal dalam instrumen pmprb-2014       |
      | baris 4: MP.1.c: jawaban 'Ya' tidak diizinkan untuk MP.1.c; pilihan: A, B, C, D |
      | baris 5: MP.1.b: baris ganda (kriteria ini sudah ada di baris 2)         |
      | baris 6: PPU.1.a: area PPU tidak ditugaskan kepada ani pada unit ini     |
    And the stored answer of "ani" to "MP.1.b" is "none"
