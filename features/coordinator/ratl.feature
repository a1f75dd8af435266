Feature: RATL, the follow-up action plan
  Finalising the round generates one action for every criterion whose own
  value is below its best, ordered by the Indeks RB it would gain with what
  the gating rules then unlock (re-scored by the engine). A criterion only
  low because of a gate is listed under its gate's action. Each
  action moves planned -> in_progress -> done (with evidence) -> verified
  (by someone other than who marked it done).

  Background:
    Given a finalised round where "ani" and "budi" assessed areas "MP, PPU" of "DINKES"

  Scenario: RATL items for exactly the actions
    Then there is a RATL item for every criterion whose own value is below its best, and for no other
    And every criterion below its best is a RATL item or unlocked by one

  Scenario: RATL items are ordered by the Indeks gain of fixing them
    Then the RATL items are ordered by the re-scored Indeks gain, ties in instrument order
    And the first RATL items are:
      | criterion | gain   |
      | ORG.2.a   | 3.0000 |
      | SDM.4.a   | 1.2000 |
      | SDM.4.b   | 1.2000 |

  Scenario: The action on a gate says what it unlocks
    Then the RATL item "MP.2.a" unlocks "MP.2.b, MP.2.c, MP.2.d, MP.2.e"
    And the gain of the RATL item "MP.2.a" counts the unlocked criteria with their own answers

  Scenario: Marking an action done needs evidence
    Given "ani" started the RATL item "MP.1.b"
    When "ani" marks the RATL item "MP.1.b" done without evidence
    Then it is refused with exit code 7 saying "hanya dapat ditandai selesai dengan bukti"
    When "ani" marks the RATL item "MP.1.b" done with the evidence "Notulen rapat Tim RB 3/2025"
    Then the RATL item "MP.1.b" is "done"

  Scenario: The verifier is not the person who marked it done
    Given "kora" started the RATL item "MP.1.b"
    And "kora" marked the RATL item "MP.1.b" done with the evidence "Laporan Tim RB 2025"
    When "kora" verifies the RATL item "MP.1.b"
    Then it is refused with exit code 7 saying "tidak dapat memverifikasinya"
    When "kasi" verifies the RATL item "MP.1.b"
    Then the RATL item "MP.1.b" is "verified"

  Scenario: Sending a done action back needs a reason
    Given "kora" started the RATL item "MP.1.b"
    And "kora" marked the RATL item "MP.1.b" done with the evidence "Laporan Tim RB 2025"
    When "kasi" sends the RATL item "MP.1.b" back to in_progress without a reason
    Then it is refused with exit code 7 saying "alasan wajib"
    When "kasi" sends the RATL item "MP.1.b" back to in_progress because "Laporan belum ditandatangani"
    Then the RATL item "MP.1.b" is "in_progress"
