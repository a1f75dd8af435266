Feature: Percentage items of the LKE ZI are computed from counts by rules
  A "%" item is never typed in: the assessor enters the counts (Jumlah) under
  it and the rules compute the percentage with the formula the instrument
  declares for that item, capped at 1 and floored at 0, with a declared value
  when both counts are 0. Counts themselves are never scored.

  Background:
    Given the instrument "zi-2021"

  Scenario Outline: <item> computed from its counts (<case>)
    When the counts "<counts>" are evaluated with one supporting document for <item>
    Then <item> has raw value <raw> and value <value>
    And <item> is flagged "<flags>"
    And the trace of <item> ends with "<rule>"
    And both rule engines decide every criterion identically

    Examples: changes made per change agent (changes / agents)
      | item     | case          | counts                           | raw  | value | flags            | rule                               |
      | R.MP.1.a | ratio         | R.MP.1.a.1=10, R.MP.1.a.2=8      | 0.8  | 0.8   |                  | R.MP.1.a/formula:ratio             |
      | R.MP.1.a | cap           | R.MP.1.a.1=10, R.MP.1.a.2=12     | 1.2  | 1     | capped           | R.MP.1.a/formula:cap               |
      | R.MP.1.a | both zero     | R.MP.1.a.1=0, R.MP.1.a.2=0       | 0    | 0     |                  | R.MP.1.a/formula:both_zero         |
      | R.MP.1.a | zero base     | R.MP.1.a.1=0, R.MP.1.a.2=3       | 0    | 0     | zero_denominator | R.MP.1.a/formula:zero_denominator  |

    Examples: agents' changes integrated (integrated / changes made by agents)
      | item     | case          | counts                           | raw  | value | flags            | rule                               |
      | R.MP.1.b | ratio         | R.MP.1.b.1=4, R.MP.1.b.2=3       | 0.75 | 0.75  |                  | R.MP.1.b/formula:ratio             |
      | R.MP.1.b | cap           | R.MP.1.b.1=4, R.MP.1.b.2=5       | 1.25 | 1     | capped           | R.MP.1.b/formula:cap               |
      | R.MP.1.b | both zero     | R.MP.1.b.1=0, R.MP.1.b.2=0       | 0    | 0     |                  | R.MP.1.b/formula:both_zero         |

    Examples: decrease of discipline violations ((last year - this year) / last year)
      | item      | case         | counts                                      | raw  | value | flags            | rule                                |
      | R.SDM.3.a | decrease     | R.SDM.3.a.1=10, R.SDM.3.a.2=4, R.SDM.3.a.3=4 | 0.6  | 0.6   |                  | R.SDM.3.a/formula:decrease          |
      | R.SDM.3.a | both zero    | R.SDM.3.a.1=0, R.SDM.3.a.2=0               | 1    | 1     |                  | R.SDM.3.a/formula:both_zero         |
      | R.SDM.3.a | to none      | R.SDM.3.a.1=5, R.SDM.3.a.2=0               | 1    | 1     |                  | R.SDM.3.a/formula:decrease          |
      | R.SDM.3.a | rise, floor  | R.SDM.3.a.1=4, R.SDM.3.a.2=6               | -0.5 | 0     | floored          | R.SDM.3.a/formula:floor             |
      | R.SDM.3.a | zero base    | R.SDM.3.a.1=0, R.SDM.3.a.2=2               | 0    | 0     | zero_denominator | R.SDM.3.a/formula:zero_denominator  |

    Examples: performance targets reached (reached / targets)
      | item      | case      | counts                        | raw   | value | flags  | rule                        |
      | R.AKT.1.a | ratio     | R.AKT.1.a.1=8, R.AKT.1.a.2=7  | 0.875 | 0.875 |        | R.AKT.1.a/formula:ratio     |
      | R.AKT.1.a | cap       | R.AKT.1.a.1=8, R.AKT.1.a.2=9  | 1.125 | 1     | capped | R.AKT.1.a/formula:cap       |
      | R.AKT.1.a | both zero | R.AKT.1.a.1=0, R.AKT.1.a.2=0  | 0     | 0     |        | R.AKT.1.a/formula:both_zero |

    Examples: complaints settled (settled / to follow up; in process not credited)
      | item      | case      | counts                                        | raw  | value | flags  | rule                        |
      | R.PWS.2.a | ratio     | R.PWS.2.a.1=20, R.PWS.2.a.2=5, R.PWS.2.a.3=12 | 0.6  | 0.6   |        | R.PWS.2.a/formula:ratio     |
      | R.PWS.2.a | cap       | R.PWS.2.a.1=4, R.PWS.2.a.2=0, R.PWS.2.a.3=5   | 1.25 | 1     | capped | R.PWS.2.a/formula:cap       |
      | R.PWS.2.a | both zero | R.PWS.2.a.1=0, R.PWS.2.a.2=0, R.PWS.2.a.3=0   | 1    | 1     |        | R.PWS.2.a/formula:both_zero |

    Examples: LHKPN reported (reported / obliged, obliged = sum of its breakdown)
      | item      | case      | counts                                                   | raw                | value              | flags  | rule                        |
      | R.PWS.3.a | ratio     | R.PWS.3.a.2=1, R.PWS.3.a.3=3, R.PWS.3.a.4=2, R.PWS.3.a.5=5 | 0.8333333333333334 | 0.8333333333333334 |        | R.PWS.3.a/formula:ratio     |
      | R.PWS.3.a | cap       | R.PWS.3.a.2=1, R.PWS.3.a.3=0, R.PWS.3.a.4=0, R.PWS.3.a.5=2 | 2                  | 1                  | capped | R.PWS.3.a/formula:cap       |
      | R.PWS.3.a | both zero | R.PWS.3.a.2=0, R.PWS.3.a.3=0, R.PWS.3.a.4=0, R.PWS.3.a.5=0 | 1                  | 1                  |        | R.PWS.3.a/formula:both_zero |

    Examples: non-LHKPN reported (reported / obliged, obliged = sum of its breakdown)
      | item      | case      | counts                                                       | raw  | value | flags  | rule                        |
      | R.PWS.3.b | ratio     | R.PWS.3.b.2=10, R.PWS.3.b.3=20, R.PWS.3.b.4=70, R.PWS.3.b.5=90 | 0.9  | 0.9   |        | R.PWS.3.b/formula:ratio     |
      | R.PWS.3.b | cap       | R.PWS.3.b.2=1, R.PWS.3.b.3=1, R.PWS.3.b.4=2, R.PWS.3.b.5=5     | 1.25 | 1     | capped | R.PWS.3.b/formula:cap       |
      | R.PWS.3.b | both zero | R.PWS.3.b.2=0, R.PWS.3.b.3=0, R.PWS.3.b.4=0, R.PWS.3.b.5=0     | 1    | 1     |        | R.PWS.3.b/formula:both_zero |

    Examples: services simplified (simplified / registered)
      | item     | case      | counts                       | raw  | value | flags  | rule                       |
      | R.PP.1.b | ratio     | R.PP.1.b.1=12, R.PP.1.b.2=3  | 0.25 | 0.25  |        | R.PP.1.b/formula:ratio     |
      | R.PP.1.b | cap       | R.PP.1.b.1=2, R.PP.1.b.2=3   | 1.5  | 1     | capped | R.PP.1.b/formula:cap       |
      | R.PP.1.b | both zero | R.PP.1.b.1=0, R.PP.1.b.2=0   | 0    | 0     |        | R.PP.1.b/formula:both_zero |

  Scenario: The obliged-to-report total is computed, never typed in
    When the counts "R.PWS.3.a.2=1, R.PWS.3.a.3=3, R.PWS.3.a.4=2, R.PWS.3.a.5=6" are evaluated with one supporting document for R.PWS.3.a
    Then R.PWS.3.a.1 has the count 6 and no value
    And R.PWS.3.a has raw value 1 and value 1

  Scenario: A percentage with a count missing is unanswered
    When the counts "R.AKT.1.a.1=8" are evaluated with one supporting document for R.AKT.1.a
    Then R.AKT.1.a has raw value 0 and value 0
    And R.AKT.1.a is flagged "unanswered"
    And R.AKT.1.a.2 is flagged "unanswered"

  Scenario: Counts without a supporting document are flagged on the percentage
    When the counts "R.AKT.1.a.1=8, R.AKT.1.a.2=8" are evaluated without documents
    Then R.AKT.1.a has raw value 1 and value 1
    And R.AKT.1.a is flagged "claimed_without_evidence"

  Scenario: Counts are inputs and never change the score on their own
    Given a unit that answers every item of the instrument with its best option
    When the count R.PWS.2.a.2 (complaints still in process) is changed to 999
    Then the Pengungkit is still 60
