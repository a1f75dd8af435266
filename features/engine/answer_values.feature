Feature: Answer values
  Every option of every answer type of the PermenPANRB 14/2014 worksheet is
  worth what the official worksheet says: Y/T 1/0; A/B/C 1/0.5/0;
  A/B/C/D 1/0.67/0.33/0; A/B/C/D/E 1/0.75/0.5/0.25/0. Both rules engines
  must decide the same.

  Scenario Outline: <type> answer <answer> is worth <value>
    Given a worksheet answering <criterion> with "<answer>" and 1 evidence documents
    When the worksheet is evaluated by every engine
    Then <criterion> has raw value <value> and value <value> with no flags

    Examples:
      | type      | criterion | answer | value |
      | Y/T       | MP.2.a    | Ya     | 1     |
      | Y/T       | MP.2.a    | Tidak  | 0     |
      | A/B/C     | MP.1.a    | A      | 1     |
      | A/B/C     | MP.1.a    | B      | 0.5   |
      | A/B/C     | MP.1.a    | C      | 0     |
      | A/B/C/D   | MP.3.a    | A      | 1     |
      | A/B/C/D   | MP.3.a    | B      | 0.67  |
      | A/B/C/D   | MP.3.a    | C      | 0.33  |
      | A/B/C/D   | MP.3.a    | D      | 0     |
      | A/B/C/D/E | MP.4.b    | A      | 1     |
      | A/B/C/D/E | MP.4.b    | B      | 0.75  |
      | A/B/C/D/E | MP.4.b    | C      | 0.5   |
      | A/B/C/D/E | MP.4.b    | D      | 0.25  |
      | A/B/C/D/E | MP.4.b    | E      | 0     |

  Scenario Outline: answers are matched case-insensitively and recorded in the instrument's spelling
    Given a worksheet answering <criterion> with "<typed>" and 1 evidence documents
    When the worksheet is evaluated by every engine
    Then the decisions are:
      | criterion   | answer     | raw_value | value   | flags |
      | <criterion> | <recorded> | <value>   | <value> |       |

    Examples:
      | criterion | typed | recorded | value |
      | MP.2.a    | ya    | Ya       | 1     |
      | MP.2.a    | TIDAK | Tidak    | 0     |
      | MP.2.a    | t     | Tidak    | 0     |
      | MP.3.a    | b     | B        | 0.67  |
      | MP.4.b    | d     | D        | 0.25  |

  Scenario: a claim better than the worst option needs evidence; the worst option does not
    Given the answers:
      | criterion | answer | evidence |
      | MP.3.a    | B      | 0        |
      | MP.3.b    | D      | 0        |
      | MP.3.c    | A      | 2        |
    When the worksheet is evaluated by every engine
    Then the decisions are:
      | criterion | answer | raw_value | value | flags                    |
      | MP.3.a    | B      | 0.67      | 0.67  | claimed_without_evidence |
      | MP.3.b    | D      | 0         | 0     |                          |
      | MP.3.c    | A      | 1         | 1     |                          |
      | MP.3.d    |        | 0         | 0     | unanswered               |
    And the trace of MP.3.a is "MP.3.a/answer:B, MP.3.a/evidence:missing"
    And the trace of MP.3.d is "MP.3.d/unanswered"
