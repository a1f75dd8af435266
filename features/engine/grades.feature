Feature: Grades
  The Indeks RB (0-100) gets a letter grade from bands whose lower bound is
  exclusive: AA >90-100, A >80-90, BB >70-80, B >60-70, CC >50-60, C >30-50,
  D 0-30. So 70.00 is B and 70.01 is BB; 0 itself is D.

  Scenario Outline: Indeks <indeks> is <grade>
    When the grade for Indeks <indeks> is looked up
    Then the grade is <grade> "<label>"

    Examples:
      | indeks | grade | label            |
      | 0      | D     | Sangat Kurang    |
      | 30     | D     | Sangat Kurang    |
      | 30.01  | C     | Kurang           |
      | 50     | C     | Kurang           |
      | 50.01  | CC    | Cukup            |
      | 60     | CC    | Cukup            |
      | 60.01  | B     | Baik             |
      | 70     | B     | Baik             |
      | 70.01  | BB    | Sangat Baik      |
      | 80     | BB    | Sangat Baik      |
      | 80.01  | A     | Memuaskan        |
      | 90     | A     | Memuaskan        |
      | 90.01  | AA    | Sangat Memuaskan |
      | 100    | AA    | Sangat Memuaskan |

  Scenario Outline: an Indeks outside 0-100 has no grade
    Given the language is English
    When the grade for Indeks <indeks> is looked up
    Then the lookup fails with "Indeks <indeks> is outside every grade band"

    Examples:
      | indeks |
      | -0.01  |
      | 100.01 |

  Scenario: the best answer everywhere with evidence and full Hasil scores 100, AA
    Given every criterion is answered with its best option and has evidence
    And the Hasil input H.1.a is "100"
    And the Hasil input H.1.b is "5"
    And the Hasil input H.2.a is "4"
    And the Hasil input H.2.b is "WTP"
    And the Hasil input H.3.a is "4"
    When the worksheet is scored by every engine
    Then the Pengungkit is 60, the Indeks RB 100 and the grade AA

  Scenario: the worst answer everywhere and the lowest Hasil scores 0, D
    Given every criterion is answered with its worst option
    And the Hasil input H.1.a is "0"
    And the Hasil input H.1.b is "0"
    And the Hasil input H.2.a is "0"
    And the Hasil input H.2.b is "TANPA-LK"
    And the Hasil input H.3.a is "0"
    When the worksheet is scored by every engine
    Then the Pengungkit is 0, the Indeks RB 0 and the grade D

  Scenario: the refusal is in Bahasa Indonesia by default
    Given the language is Bahasa Indonesia
    When the grade for Indeks 100.01 is looked up
    Then the lookup fails with "Indeks 100.01 di luar semua rentang predikat"
