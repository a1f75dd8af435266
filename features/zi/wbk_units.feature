Feature: Scoring a complete ZI worksheet with counts shows the predicate result
  `pmprb score` reads a unit's complete LKE ZI worksheet (choice answers,
  counts and Hasil survey figures), scores it and says whether the unit
  meets the WBK requirements, or which thresholds it misses and by how much.

  Scenario: A unit that meets every WBK threshold
    Given the complete ZI worksheet of a unit
    When I run "pmprb score" on it
    Then the command succeeds
    And the output contains "memenuhi syarat Wilayah Bebas dari Korupsi (WBK)"
    And the output does not contain "belum memenuhi syarat Wilayah Bebas dari Korupsi (WBK)"
    And the JSON result says WBK is met with no threshold missed

  Scenario: A unit that misses two thresholds, each with its shortfall
    Given the complete ZI worksheet of a unit
    And every item of area P.PWS is answered with its worst option
    And the service-quality perception survey H.2.a is 3.0
    When I run "pmprb score" on it
    Then the command succeeds
    And the output contains "belum memenuhi syarat Wilayah Bebas dari Korupsi (WBK); ambang yang belum tercapai:"
    And the output contains "  - Nilai setiap area Pengungkit (% dari bobot area, Pemenuhan + Reform) — Penguatan Pengawasan: 43.10% (minimal 60.00%; kurang 16.90%)"
    And the output contains "  - Hasil pelayanan publik yang prima: 13.13 (minimal 14.00; kurang 0.88)"
    And the JSON result says WBK is missed on exactly "area:PWS, pelayanan_prima"

  Scenario: The same result in English
    Given the complete ZI worksheet of a unit
    And the service-quality perception survey H.2.a is 3.0
    When I run "pmprb --lang en score" on it
    Then the output contains "does not meet the requirements for Corruption-Free Area (WBK); thresholds not met:"
    And the output contains "  - Results, excellent public service: 13.13 (at least 14.00; short by 0.88)"
