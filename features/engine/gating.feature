Feature: Gating rules
  The official worksheet zeroes or scales some items when a prerequisite
  fails. Gating changes the value, never the recorded answer, flags the
  criterion with the one that caused it, and names the rule in the trace.

  Scenario: zero_if_answer - without a Tim Reformasi Birokrasi its work counts 0
    Given the answers:
      | criterion | answer | evidence |
      | MP.1.a    | C      | 0        |
      | MP.1.b    | A      | 1        |
      | MP.1.c    | B      | 1        |
    When the worksheet is evaluated by every engine
    Then the decisions are:
      | criterion | answer | raw_value | value | flags           |
      | MP.1.a    | C      | 0         | 0     |                 |
      | MP.1.b    | A      | 1         | 0     | gated_by:MP.1.a |
      | MP.1.c    | B      | 0.67      | 0     | gated_by:MP.1.a |
    And the trace of MP.1.b is "MP.1.b/answer:A, MP.1.b/gate:zero_if_answer:MP.1.a"

  Scenario: zero_if_answer does not fire for other answers, nor for an unanswered prerequisite
    Given the answers:
      | criterion | answer | evidence |
      | MP.1.a    | B      | 1        |
      | MP.1.b    | A      | 1        |
      | MP.2.b    | A      | 1        |
    When the worksheet is evaluated by every engine
    Then the decisions are:
      | criterion | answer | raw_value | value | flags      |
      | MP.1.b    | A      | 1         | 1     |            |
      | MP.2.a    |        | 0         | 0     | unanswered |
      | MP.2.b    | A      | 1         | 1     |            |

  Scenario: zero_if_value_zero - a zero value, gated or not, zeroes the items that depend on it
    Given the answers:
      | criterion | answer | evidence |
      | TL.1.a    | D      | 0        |
      | TL.1.b    | A      | 1        |
      | TL.1.c    | A      | 1        |
      | TL.1.d    | B      | 1        |
    When the worksheet is evaluated by every engine
    Then the decisions are:
      | criterion | answer | raw_value | value | flags           |
      | TL.1.b    | A      | 1         | 0     | gated_by:TL.1.a |
      | TL.1.c    | A      | 1         | 0     | gated_by:TL.1.b |
      | TL.1.d    | B      | 0.67      | 0     | gated_by:TL.1.b |
    And the trace of TL.1.c is "TL.1.c/answer:A, TL.1.c/gate:zero_if_value_zero:TL.1.b"

  Scenario: zero_chain - a zero propagates forward along the chain and stops nowhere
    Given the answers:
      | criterion | answer | evidence |
      | PWS.4.a   | Ya     | 1        |
      | PWS.4.b   | B      | 1        |
      | PWS.4.c   | Tidak  | 0        |
      | PWS.4.d   | A      | 1        |
      | PWS.4.e   | B      | 1        |
    When the worksheet is evaluated by every engine
    Then the decisions are:
      | criterion | answer | raw_value | value | flags            |
      | PWS.4.b   | B      | 0.67      | 0.67  |                  |
      | PWS.4.c   | Tidak  | 0         | 0     |                  |
      | PWS.4.d   | A      | 1         | 0     | gated_by:PWS.4.c |
      | PWS.4.e   | B      | 0.67      | 0     | gated_by:PWS.4.d |
    And the trace of PWS.4.e is "PWS.4.e/answer:B, PWS.4.e/gate:zero_chain:PWS.4.d"

  Scenario: multiply_by_previous - Promosi terbuka items are multiplied by the item before them
    Given the answers:
      | criterion | answer | evidence |
      | SDM.4.a   | Ya     | 1        |
      | SDM.4.b   | C      | 1        |
      | SDM.4.c   | Ya     | 1        |
      | SDM.4.d   | Ya     | 1        |
      | SDM.4.e   | Tidak  | 0        |
    When the worksheet is evaluated by every engine
    Then the decisions are:
      | criterion | answer | raw_value | value | flags            |
      | SDM.4.b   | C      | 0.33      | 0.33  |                  |
      | SDM.4.c   | Ya     | 1         | 0.33  | gated_by:SDM.4.b |
      | SDM.4.d   | Ya     | 1         | 0.33  | gated_by:SDM.4.c |
      | SDM.4.e   | Tidak  | 0         | 0     | gated_by:SDM.4.d |
    And the trace of SDM.4.c is "SDM.4.c/answer:Ya, SDM.4.c/gate:multiply_by_previous:SDM.4.b"

  Scenario: multiply_by_previous leaves full values alone and unflagged
    Given the answers:
      | criterion | answer | evidence |
      | SDM.4.b   | A      | 1        |
      | SDM.4.c   | Ya     | 1        |
    When the worksheet is evaluated by every engine
    Then the decisions are:
      | criterion | answer | raw_value | value | flags |
      | SDM.4.c   | Ya     | 1         | 1     |       |
    And the trace of SDM.4.c is "SDM.4.c/answer:Ya"

  Scenario: two gates on one item both show, in rule order
    Given the answers:
      | criterion | answer | evidence |
      | PP.1.a    | Tidak  | 0        |
      | PP.1.c    | D      | 0        |
      | PP.1.e    | A      | 0        |
    When the worksheet is evaluated by every engine
    Then the decisions are:
      | criterion | answer | raw_value | value | flags                                                      |
      | PP.1.e    | A      | 1         | 0     | claimed_without_evidence, gated_by:PP.1.a, gated_by:PP.1.c |
