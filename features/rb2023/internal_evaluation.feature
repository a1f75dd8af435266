Feature: Internal evaluation of a kabupaten on the Indeks RB 2023
  The kabupaten's RB team evaluates itself before the official result: its
  evaluators enter each indicator's value (a number, or the category for the
  Opini BPK) with the evaluating agency's result document as evidence; the
  koordinator reviews, settles the differences in consensus and finalises the
  estimate. When the official values arrive the koordinator records them with
  their source, and the round shows how far the estimate was from each and
  what that did to the Indeks. The RATL ranks the indicators by what raising
  each to its maximum would add to the Indeks, multipliers included.

  Background:
    Given a kabupaten round on "rb-2023-kabkota" where "ani" and "budi" entered every indicator with the result documents
    And "budi" differs from "ani" on "1A11, 1B15, 1C13a, 2A12-3"

  Scenario: Estimates go through review and consensus to a final Indeks
    When the koordinator starts the review and accepts both worksheets
    Then the review shows "1C13a" disputed with a spread of 1.67 points
    When the koordinator settles every disputed indicator with budi's value and finalises
    Then the final Indeks equals the instrument's score of the agreed values
    And RB General is rescaled by the applicable weight 97.5 because "1B19" does not apply
    And RB Tematik has the themes "kemiskinan, investasi, digitalisasi, pdn, inflasi"

  Scenario: Official values show the deviation of the estimate and its effect on the Indeks
    Given the round is final
    When the koordinator records the official values:
      | criterion | value | source                            |
      | 1B15      | 75.2  | LHE AKIP Kabupaten Contoh 2023    |
      | 1C13a     | WTP   | LHP BPK atas LKPD 2023            |
    Then the deviation of "1B15" is -0.21 points with an effect of -0.55 on the Indeks (1C12b moves with it, rescaled)
    And the deviation of "1C13a" is -1.67 points
    And the Indeks with the official values differs from the estimate by the sum of what changed
    And audit verify finds nothing wrong
    When an official value is changed outside pmprb
    Then audit verify names the official value "1B15"

  Scenario: The RATL is ranked by Indeks gain, multipliers included
    Given the round is final
    Then every RATL item's gain is what raising its indicator to the maximum adds to the Indeks
    And the RATL items are ordered by gain
    And raising "1B15" gains more than its own points because "1C12b" is multiplied by it
