Feature: Hasil conversions
  Hasil (max 40) comes from five external figures: SAKIP 0-100 x 14/100,
  internal capacity survey 0-5 x 6/5, corruption perception 0-4 x 7/4, the
  BPK audit opinion (WTP 3, WTP with explanatory paragraph 2.5, WDP 2,
  disclaimer 1.5, adverse 1, no financial report 0) and service quality
  0-4 x 10/4.

  Scenario Outline: BPK opinion "<opinion>" gives <points> points
    Given the Hasil input H.2.b is "<opinion>"
    When the worksheet is scored by every engine
    Then Hasil part H.2.b gives <points> points

    Examples:
      | opinion                         | points |
      | WTP                             | 3      |
      | WTP-DPP                         | 2.5    |
      | WDP                             | 2      |
      | TMP                             | 1.5    |
      | TW                              | 1      |
      | TANPA-LK                        | 0      |
      | wtp-dpp                         | 2.5    |
      | tidak memiliki laporan keuangan | 0      |

  Scenario Outline: scale input <part> = <input> gives <points> points
    Given the Hasil input <part> is "<input>"
    When the worksheet is scored by every engine
    Then Hasil part <part> gives <points> points

    Examples:
      | part  | input | points |
      | H.1.a | 0     | 0      |
      | H.1.a | 70.05 | 9.807  |
      | H.1.a | 100   | 14     |
      | H.1.b | 3.8   | 4.56   |
      | H.1.b | 3,49  | 4.188  |
      | H.1.b | 5     | 6      |
      | H.2.a | 3.31  | 5.7925 |
      | H.2.a | 4     | 7      |
      | H.3.a | 3.117 | 7.7925 |
      | H.3.a | 4     | 10     |

  Scenario: the BPS 2015 Hasil inputs give the official 30.952
    Given the Hasil input H.1.a is "70.05"
    And the Hasil input H.1.b is "3.8"
    And the Hasil input H.2.a is "3.31"
    And the Hasil input H.2.b is "WTP"
    And the Hasil input H.3.a is "3.117"
    When the worksheet is scored by every engine
    Then the Hasil total is 30.952
