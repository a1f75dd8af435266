Feature: Coordinator review of the working papers
  The koordinator asesor sees every assessor's answer side by side. Identical
  answers merge into the institution's answer; differing answers are listed
  with their spread and become consensus items when the round enters
  consensus. Assessors score blind: none of them sees the others' answers
  before the round enters review.

  Background:
    Given a round where "ani" and "budi" assessed areas "MP, PPU" of "DINKES" and submitted
    And "ani" answered "MP.1.b" with "B" and "budi" answered it with "A"

  Scenario: Identical answers merge automatically
    When "kora" reviews the round
    Then "MP.1.a" is merged with the answer "A"
    And 21 of the 22 assessed criteria are merged

  Scenario: A disagreement is listed with its spread and becomes a consensus item
    When "kora" reviews the round
    Then "MP.1.b" is disputed with a spread of 0.33
    When the round enters consensus
    Then the open consensus items are exactly "MP.1.b"

  Scenario: An assessor cannot see the other answers while the round is open
    When "ani" tries to review the round
    Then it is refused with exit code 6 because assessment is blind
    When the round enters review
    And "ani" reviews the round
    Then "MP.1.b" is disputed with a spread of 0.33
