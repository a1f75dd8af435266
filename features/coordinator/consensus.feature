Feature: Consensus and finalisation
  Every disputed criterion is resolved in the consensus meeting with a final
  answer, a rationale, the participants and the meeting date. The round
  cannot be finalised while any item is open; finalising freezes the result.

  Background:
    Given a round where "ani" and "budi" assessed areas "MP, PPU" of "DINKES" and submitted
    And "ani" answered "MP.1.b" with "B" and "budi" answered it with "A"
    And the round is in consensus with its Hasil figures entered

  Scenario: Resolving without a rationale is refused
    When "kora" resolves "MP.1.b" with the answer "A" and no rationale
    Then it is refused with exit code 1 saying "alasan (rationale) wajib diisi"
    And the consensus item "MP.1.b" is "open"

  Scenario: Finalising is refused while an item is open
    When "kora" finalises the round
    Then it is refused with exit code 7 listing the open item "MP.1.b"
    And the round is "consensus"

  Scenario: Finalising is accepted once every item is resolved
    When "kora" resolves "MP.1.b" with the answer "A" and the rationale "Laporan Tim RB lengkap"
    And "kora" finalises the round
    Then the round is "final"
    And the final answer to "MP.1.b" is "A" from consensus
    And the frozen result's Indeks RB equals scoring the institution answers directly

  Scenario: A resolved item is reopened with a reason before finalisation
    When "kora" resolves "MP.1.b" with the answer "A" and the rationale "Laporan Tim RB lengkap"
    And "kora" reopens "MP.1.b" because "Ada bukti baru"
    Then the consensus item "MP.1.b" is "open"
    And the history of "MP.1.b" is "opened, resolved, reopened"
