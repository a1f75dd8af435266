Feature: Published Indeks RB tables are checked for consistency
  Institutions publish their Indeks RB history: per year each area's value
  and percentage of its weight, the Hasil components, Pengungkit, Hasil, the
  Indeks and the grade. An auditor checks that the table adds up. Published
  figures are rounded, so a figure is flagged only when it differs from the
  recomputed one by more than the rounding of its inputs can explain, and
  the output says how much was allowed.

  Background:
    Given a published table for "Kota Madiun":
      | year | item       | weight | value | percent |
      | 2016 | MP         | 5      | 3.45  | 69.00   |
      | 2016 | PPU        | 5      | 2.80  | 56.00   |
      | 2016 | ORG        | 6      | 4.20  | 70.00   |
      | 2016 | TL         | 5      | 3.60  | 72.00   |
      | 2016 | SDM        | 15     | 9.75  | 65.00   |
      | 2016 | AKT        | 6      | 4.50  | 75.00   |
      | 2016 | PWS        | 12     | 7.80  | 65.00   |
      | 2016 | PP         | 6      | 4.32  | 72.00   |
      | 2016 | PENGUNGKIT | 60     | 40.42 | 67.37   |
      | 2016 | H.1        | 20     | 14.50 | 72.50   |
      | 2016 | H.2        | 10     | 7.25  | 72.50   |
      | 2016 | H.3        | 10     | 7.79  | 77.90   |
      | 2016 | HASIL      | 40     | 29.54 | 73.85   |
      | 2016 | INDEKS     | 100    | 69.96 | 69.96   |
      | 2016 | GRADE      |        | B     |         |

  Scenario: A consistent table has nothing flagged
    When the auditor checks the table
    Then the check passes
    And nothing is flagged

  Scenario: A wrong percentage is flagged with the allowance
    Given the published percent of 2016 MP is "70.00"
    When the auditor checks the table
    Then the check fails
    And exactly these figures are flagged:
      | year | item | field   | published | recomputed | allowed |
      | 2016 | MP   | percent | 70.00     | 69.00      | 0.105   |

  Scenario: A wrong total is flagged
    Given the published value of 2016 HASIL is "30.54"
    And the published percent of 2016 HASIL is "76.35"
    When the auditor checks the table
    Then the check fails
    And exactly these figures are flagged:
      | year | item   | field | published | recomputed | allowed |
      | 2016 | HASIL  | value | 30.54     | 29.54      | 0.02    |
      | 2016 | INDEKS | value | 69.96     | 70.96      | 0.015   |

  Scenario: A total that differs only by rounding is not flagged
    # The eight areas add up to 40.42. Each was rounded to 2 decimals and the
    # total too, so up to 8 x 0.005 + 0.005 = 0.045 is rounding.
    Given the published value of 2016 PENGUNGKIT is "40.46"
    And the published percent of 2016 PENGUNGKIT is "67.43"
    And the published value of 2016 INDEKS is "70.00"
    And the published percent of 2016 INDEKS is "70.00"
    When the auditor checks the table
    Then the check passes
    And nothing is flagged
    And the check of the 2016 PENGUNGKIT value recomputed 40.42 and allowed 0.045

  Scenario: A difference just beyond the rounding is flagged
    Given the published value of 2016 PENGUNGKIT is "40.47"
    And the published percent of 2016 PENGUNGKIT is "67.45"
    And the published value of 2016 INDEKS is "70.01"
    And the published percent of 2016 INDEKS is "70.01"
    And the published grade of 2016 is "BB"
    When the auditor checks the table
    Then the check fails
    And exactly these figures are flagged:
      | year | item       | field | published | recomputed | allowed |
      | 2016 | PENGUNGKIT | value | 40.47     | 40.42      | 0.045   |

  Scenario: A wrong grade is flagged
    Given the published grade of 2016 is "BB"
    When the auditor checks the table
    Then the check fails
    And exactly these figures are flagged:
      | year | item  | field | published | recomputed | allowed |
      | 2016 | GRADE | grade | BB        | B          | 0.005   |

  Scenario Outline: A grade on a band boundary is judged by every Indeks the rounding allows
    Given the published value of 2016 INDEKS is "<indeks>"
    And the published percent of 2016 INDEKS is ""
    And the published grade of 2016 is "<grade>"
    When the auditor checks the table
    Then the grade of 2016 is <verdict>

    Examples:
      | indeks | grade | verdict      |
      | 70.00  | B     | consistent   |
      | 70.00  | BB    | consistent   |
      | 70.01  | B     | inconsistent |
      | 69.99  | BB    | inconsistent |

  Scenario: The findings are readable in Bahasa Indonesia
    Given the published percent of 2016 MP is "70.00"
    When the auditor checks the table in Bahasa Indonesia
    Then the output says "2016 MP persentase: dipublikasikan 70,00, dihitung ulang 69,0000 (selisih 1,0000, toleransi 0,105)"

  Scenario: The table is imported once and checked from the store
    Given the published grade of 2016 is "BB"
    When the auditor imports the table for "Kota Madiun"
    And the auditor checks the stored table of "Kota Madiun"
    Then the check fails
    And exactly these figures are flagged:
      | year | item  | field | published | recomputed | allowed |
      | 2016 | GRADE | grade | BB        | B          | 0.005   |
